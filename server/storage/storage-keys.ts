/**
 * Every storage key of the product. Built from numeric ids and hex hashes only,
 * so no user-controlled text can reach a path, and each user's objects sit under
 * their own prefix.
 */
const HEX = /^[0-9a-f]{16,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function positiveId(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`Invalid ${what} for a storage key: ${value}`);
  return value;
}

function hexHash(value: string): string {
  if (!HEX.test(value)) throw new Error('Invalid content hash for a storage key');
  return value;
}

export const ORIGINAL_EXTENSIONS = ['mov', 'mp4', 'jpg', 'png', 'webp', 'tif', 'avif', 'heic'] as const;
export type OriginalExtension = (typeof ORIGINAL_EXTENSIONS)[number];

export const storageKeys = {
  /** Everything of one user (what account deletion empties). */
  userPrefix: (userId: number) => `users/${positiveId(userId, 'user id')}/`,
  /** Thumbnails are addressed by content: identical files share one, and rewriting is idempotent. */
  thumbnail: (userId: number, contentHash: string) => `users/${positiveId(userId, 'user id')}/thumbnails/${hexHash(contentHash)}.webp`,
  /** A starred photo's WebP renditions, by content like thumbnails: `<prefix><width>.webp`. */
  variantsPrefix: (userId: number, contentHash: string) => `users/${positiveId(userId, 'user id')}/variants/${hexHash(contentHash)}/`,
  variant: (userId: number, contentHash: string, width: number) =>
    `${storageKeys.variantsPrefix(userId, contentHash)}${positiveId(width, 'variant width')}.webp`,
  /** Every photo's ~2048 px WebP preview (and a video's poster frame at that size), by content. */
  preview: (userId: number, contentHash: string) => `users/${positiveId(userId, 'user id')}/previews/${hexHash(contentHash)}.webp`,
  /** An original we keep: a video (to be streamed), a starred photo's original (to be downloaded). By content. */
  original: (userId: number, contentHash: string, extension: OriginalExtension) => {
    if (!ORIGINAL_EXTENSIONS.includes(extension)) throw new Error('Invalid original extension for a storage key');
    return `users/${positiveId(userId, 'user id')}/originals/${hexHash(contentHash)}.${extension}`;
  },
  uploadsPrefix: (userId: number, sourceId: number) => `users/${positiveId(userId, 'user id')}/uploads/${positiveId(sourceId, 'source id')}/`,
  upload: (userId: number, sourceId: number, uploadId: string) => {
    if (!UUID.test(uploadId)) throw new Error('Invalid upload id for a storage key');
    return `${storageKeys.uploadsPrefix(userId, sourceId)}${uploadId}`;
  },
  /** A history export's file (`users/<id>/exports/<export id>.csv|json|pdf`): one object per export row. */
  exportFile: (userId: number, exportId: number, extension: 'csv' | 'json' | 'pdf') =>
    `users/${positiveId(userId, 'user id')}/exports/${positiveId(exportId, 'export id')}.${extension}`,
};

/** Keys are never taken from outside, but a second check costs nothing where they meet the disk. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9/_.-]*$/.test(key) || key.includes('..') || key.includes('//')) {
    throw new Error(`Unsafe storage key: ${key}`);
  }
}
