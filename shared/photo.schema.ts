export const PHOTO_STATUSES = ['pending', 'ready', 'failed'] as const;
export type PhotoStatus = (typeof PHOTO_STATUSES)[number];
