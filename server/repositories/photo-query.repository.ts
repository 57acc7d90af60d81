/**
 * The photos a user browses and curates: listing by concert or unmatched,
 * starring, moving between concerts. (photo.repository.ts is the ingest side.)
 */
import { and, asc, avg, count, eq, gt, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { photos } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** What the user sees: ingested photos not hidden as an extra copy. */
export const visiblePhoto = and(eq(photos.status, 'ready'), eq(photos.hidden, false));

/** What server/media/photo-media.ts turns into image URLs. */
export const renditionColumns = {
  thumbnailKey: photos.thumbnailKey,
  variantsKey: photos.variantsKey,
  blurPlaceholder: photos.blurPlaceholder,
  width: photos.width,
  height: photos.height,
  mediaType: photos.mediaType,
  durationMs: photos.durationMs,
  previewKey: photos.previewKey,
  originalKey: photos.originalKey,
  motionKey: photos.motionKey,
  fileName: photos.fileName,
} as const;

export type PhotoScope = { concertId: number } | { unmatched: true };
type Writer = Pick<Database['$primary'], 'update'>;

// The sort key of the last photo sent: its taken-at (epoch ms, or null: undated photos come last) and id.
const photoCursor = z.tuple([z.number().int().nullable(), z.number().int().positive()]);

/**
 * Puts photos in a concert (or none). Their event key is cleared: a photo placed
 * by hand is never pulled back into an event's concert by automatic matching.
 */
export async function assignPhotos(db: Writer, userId: number, photoIds: readonly number[], concertId: number | null) {
  if (!photoIds.length) return;
  await db
    .update(photos)
    .set({ concertId, eventKey: null })
    .where(and(eq(photos.userId, userId), inArray(photos.id, [...photoIds])));
}

export class PhotoQueryRepository {
  constructor(private readonly db: Database) {}

  /** Ordered by taken-at then id (undated last), one keyset page at a time. */
  async list(userId: number, scope: PhotoScope, cursor: string | undefined, limit: number) {
    const after = cursor === undefined ? undefined : decodeCursor(cursor, photoCursor);
    const rows = await this.db
      .select({
        id: photos.id,
        takenAt: photos.takenAt,
        // The zone where it was taken: its time reads as the clocks there showed it.
        timeZone: photos.timeZone,
        // 'file-time': no date in the file, its modification time stands in (shown as a guess).
        takenAtSource: photos.takenAtSource,
        ...renditionColumns,
        height: photos.height,
        starred: photos.starred,
        concertId: photos.concertId,
        fileName: photos.fileName,
      })
      .from(photos)
      .where(
        and(
          eq(photos.userId, userId),
          'concertId' in scope ? eq(photos.concertId, scope.concertId) : isNull(photos.concertId),
          visiblePhoto,
          after && afterPhoto(after[0] === null ? null : new Date(after[0]), after[1]),
        ),
      )
      .orderBy(sql`${photos.takenAt} IS NULL`, asc(photos.takenAt), asc(photos.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page,
      nextCursor: rows.length > limit && last ? encodeCursor([last.takenAt?.getTime() ?? null, last.id]) : null,
    };
  }

  /** Answers the photo's concert (null: unmatched), whose views show the star. */
  async setStarred(userId: number, photoId: number, starred: boolean): Promise<number | null> {
    await this.db
      .update(photos)
      .set({ starred })
      .where(and(eq(photos.userId, userId), eq(photos.id, photoId)));
    const [row] = await this.db.$primary
      .select({ concertId: photos.concertId })
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.id, photoId)))
      .limit(1);
    return row?.concertId ?? null;
  }

  async move(userId: number, photoIds: readonly number[], concertId: number | null): Promise<void> {
    await assignPhotos(this.db, userId, photoIds, concertId);
  }

  /** Where these photos were taken (the mean of those with a position) and a zone there; null when none has one. */
  async placeOf(userId: number, photoIds: readonly number[]) {
    if (!photoIds.length) return null;
    const [row] = await this.db.$primary
      .select({
        count: count(),
        latitude: avg(photos.latitude).mapWith(Number),
        longitude: avg(photos.longitude).mapWith(Number),
        timeZone: sql<string | null>`MAX(${photos.timeZone})`,
      })
      .from(photos)
      .where(and(eq(photos.userId, userId), inArray(photos.id, [...photoIds]), isNotNull(photos.latitude), isNotNull(photos.longitude)));
    if (!row?.count) return null;
    return { latitude: row.latitude, longitude: row.longitude, timeZone: row.timeZone };
  }
}

function afterPhoto(takenAt: Date | null, id: number) {
  if (takenAt === null) return and(isNull(photos.takenAt), gt(photos.id, id));
  return or(gt(photos.takenAt, takenAt), and(eq(photos.takenAt, takenAt), gt(photos.id, id)), isNull(photos.takenAt));
}
