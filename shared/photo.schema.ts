import { z } from 'zod';

/** 'paired': a Live Photo's motion clip, shown with its photo rather than as an item of its own. */
export const PHOTO_STATUSES = ['pending', 'ready', 'failed', 'paired'] as const;
export type PhotoStatus = (typeof PHOTO_STATUSES)[number];

/** An item of the library is a photo or a video (both are rows of `photos`). */
export const MEDIA_TYPES = ['photo', 'video'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

const id = z.number().int().positive();
const page = {
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(200).default(60),
  /** Sent by tRPC's infinite queries along with the cursor; the lists only page forward. */
  direction: z.enum(['forward', 'backward']).optional(),
};

/** The photos of one concert, or the user's unmatched photos. */
export const photoListInput = z.union([z.strictObject({ concertId: id, ...page }), z.strictObject({ unmatched: z.literal(true), ...page })]);
export type PhotoListInput = z.output<typeof photoListInput>;

export const photoStarInput = z.object({ id, starred: z.boolean() });

export const photoMoveInput = z.object({
  photoIds: z.array(id).min(1).max(1000),
  /** Null takes the photos out of any concert (unmatched). */
  concertId: id.nullable(),
});

/** One duplicate group of the user's (duplicates.keepAll, duplicates.reopen). */
export const duplicateGroupInput = z.object({ groupId: id });
