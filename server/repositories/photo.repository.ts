import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { photos } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';

type PhotoInsert = typeof photos.$inferInsert;
export type IngestedPhoto = Required<Pick<PhotoInsert, 'userId' | 'sourceId' | 'sourceFileId' | 'scanId' | 'fileName'>> &
  Pick<
    PhotoInsert,
    | 'mimeType' | 'byteSize' | 'width' | 'height' | 'contentHash' | 'contentHashKind' | 'perceptualHash' | 'phash0' | 'phash1'
    | 'phash2' | 'phash3' | 'takenAt' | 'timeZone' | 'latitude' | 'longitude' | 'cameraMake' | 'cameraModel' | 'orientation'
    | 'thumbnailKey' | 'blurPlaceholder'
  >;
export type FailedPhoto = Required<Pick<PhotoInsert, 'userId' | 'sourceId' | 'sourceFileId' | 'scanId' | 'fileName'>> &
  Pick<PhotoInsert, 'mimeType' | 'byteSize'> & { failureReason: string };

/** On a repeat, the row is updated in place and LAST_INSERT_ID() yields its id either way. */
const keepIdOnDuplicate = { id: sql`LAST_INSERT_ID(${photos.id})` };

/** Every column the insert names is refreshed on a repeat, so re-ingesting a changed file updates its row. */
const columns = getTableColumns(photos);
function refreshed(values: object) {
  return Object.fromEntries(
    Object.keys(values).map((name) => [name, sql`VALUES(${columns[name as keyof typeof columns]})`]),
  );
}

export class PhotoRepository {
  constructor(private readonly db: Database) {}

  /** Idempotent: one row per (user, source, file) however many times, or by however many workers, it is ingested. */
  async upsertIngested(photo: IngestedPhoto): Promise<number> {
    const values = { ...photo, status: 'ready' as const, failureReason: null };
    const [result] = await this.db
      .insert(photos)
      .values(values)
      .onDuplicateKeyUpdate({ set: { ...refreshed(values), ...keepIdOnDuplicate } });
    return result.insertId;
  }

  async upsertFailed(photo: FailedPhoto): Promise<number> {
    const values = { ...photo, failureReason: photo.failureReason.slice(0, 500), status: 'failed' as const };
    const [result] = await this.db
      .insert(photos)
      .values(values)
      .onDuplicateKeyUpdate({ set: { ...refreshed(values), ...keepIdOnDuplicate } });
    return result.insertId;
  }

  /** Where a photo's original is and what its renditions are keyed by. */
  async renditionSourceOf(userId: number, photoId: number) {
    const [row] = await this.db.$primary
      .select({
        sourceId: photos.sourceId, sourceFileId: photos.sourceFileId, contentHash: photos.contentHash, status: photos.status,
        starred: photos.starred, variantsKey: photos.variantsKey,
      })
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.id, photoId)))
      .limit(1);
    return row ?? null;
  }

  async setVariantsKey(userId: number, photoId: number, variantsKey: string): Promise<void> {
    await this.db.update(photos).set({ variantsKey }).where(and(eq(photos.userId, userId), eq(photos.id, photoId)));
  }

  failuresOfScan(userId: number, scanId: number, limit: number) {
    return this.db
      .select({ id: photos.id, fileName: photos.fileName, sourceFileId: photos.sourceFileId, reason: photos.failureReason })
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.scanId, scanId), eq(photos.status, 'failed')))
      .orderBy(asc(photos.id))
      .limit(limit);
  }

  /** What the dedup stage compares, for the photos a scan brought in. */
  readyOfScan(userId: number, scanId: number) {
    return this.db.$primary
      .select(dedupColumns)
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.scanId, scanId), eq(photos.status, 'ready')))
      .orderBy(asc(photos.id));
  }


}

export const dedupColumns = {
  id: photos.id,
  contentHash: photos.contentHash,
  perceptualHash: photos.perceptualHash,
  takenAt: photos.takenAt,
  width: photos.width,
  height: photos.height,
  byteSize: photos.byteSize,
  duplicateGroupId: photos.duplicateGroupId,
} as const;
export type DedupPhoto = Pick<typeof photos.$inferSelect, keyof typeof dedupColumns>;
