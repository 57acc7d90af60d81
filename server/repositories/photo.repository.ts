import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { photos, users } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';

type PhotoInsert = typeof photos.$inferInsert;
export type IngestedPhoto = Required<Pick<PhotoInsert, 'userId' | 'sourceId' | 'sourceFileId' | 'scanId' | 'fileName'>> &
  Pick<
    PhotoInsert,
    | 'mimeType'
    | 'byteSize'
    | 'width'
    | 'height'
    | 'contentHash'
    | 'contentHashKind'
    | 'perceptualHash'
    | 'takenAt'
    | 'timeZone'
    | 'latitude'
    | 'longitude'
    | 'cameraMake'
    | 'cameraModel'
    | 'orientation'
    | 'thumbnailKey'
    | 'blurPlaceholder'
    | 'takenAtSource'
    | 'metadataNotes'
    | 'mediaType'
    | 'durationMs'
    | 'previewKey'
    | 'originalKey'
    | 'contentIdentifier'
  >;
export type FailedPhoto = Required<Pick<PhotoInsert, 'userId' | 'sourceId' | 'sourceFileId' | 'scanId' | 'fileName'>> &
  Pick<PhotoInsert, 'mimeType' | 'byteSize'> & { failureReason: string };

/** On a repeat, the row is updated in place and LAST_INSERT_ID() yields its id either way. */
const keepIdOnDuplicate = { id: sql`LAST_INSERT_ID(${photos.id})` };

/** Every column the insert names is refreshed on a repeat, so re-ingesting a changed file updates its row. */
const columns = getTableColumns(photos);
function refreshed(values: object) {
  return Object.fromEntries(Object.keys(values).map((name) => [name, sql`VALUES(${columns[name as keyof typeof columns]})`]));
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

  /**
   * A Live Photo's clip joins its photo: the clip's row leaves what the user sees ('paired') and the photo
   * (or photos: an edited copy keeps the identifier) gets the clip as its motion. One statement, whose locking
   * reads see the latest rows: whichever of the two files is ingested last pairs them, in any order, and
   * running it again changes nothing. Only within one library, and only with a photo that was ingested.
   */
  async pairLivePhoto(userId: number, sourceId: number, contentIdentifier: string): Promise<number> {
    const [result] = await this.db.execute(sql`
      UPDATE ${photos} AS clip JOIN ${photos} AS still
        ON still.user_id = clip.user_id AND still.source_id = clip.source_id AND still.content_identifier = clip.content_identifier
        AND still.media_type = 'photo' AND still.status = 'ready'
      SET clip.status = 'paired', still.motion_key = clip.original_key
      WHERE clip.user_id = ${userId} AND clip.source_id = ${sourceId} AND clip.content_identifier = ${contentIdentifier}
        AND clip.media_type = 'video' AND clip.status IN ('ready', 'paired') AND clip.original_key IS NOT NULL`);
    return (result as unknown as { affectedRows: number }).affectedRows;
  }

  /** The user's home zone (settings), for photos whose capture time comes without one. */
  async homeTimeZoneOf(userId: number): Promise<string | null> {
    const [row] = await this.db.select({ timeZone: users.timeZone }).from(users).where(eq(users.id, userId)).limit(1);
    return row?.timeZone ?? null;
  }

  /** Where a photo's original is and what its renditions are keyed by. */
  async renditionSourceOf(userId: number, photoId: number) {
    const [row] = await this.db.$primary
      .select({
        sourceId: photos.sourceId,
        sourceFileId: photos.sourceFileId,
        contentHash: photos.contentHash,
        status: photos.status,
        starred: photos.starred,
        variantsKey: photos.variantsKey,
        concertId: photos.concertId,
        mediaType: photos.mediaType,
        originalKey: photos.originalKey,
      })
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.id, photoId)))
      .limit(1);
    return row ?? null;
  }

  /** The variants exist; `originalKey`: the original kept beside them for download (unless one is kept already). */
  async setVariantsKey(userId: number, photoId: number, variantsKey: string, originalKey?: string): Promise<void> {
    await this.db
      .update(photos)
      .set(originalKey ? { variantsKey, originalKey: sql`COALESCE(${photos.originalKey}, ${originalKey})` } : { variantsKey })
      .where(and(eq(photos.userId, userId), eq(photos.id, photoId)));
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
