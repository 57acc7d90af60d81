import { and, asc, count, eq, gt, inArray, lte, or, sql } from 'drizzle-orm';
import { artists, concerts, festivals, photos, venues } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import { visiblePhoto } from './photo-query.repository.js';

/** Where a keyset page ends: the sort key (date, id) of its last concert. */
export interface ExportPosition {
  concertDate: string;
  id: number;
}

export type ExportConcert = Awaited<ReturnType<ExportRepository['page']>>[number];

/** The history export's reads: the whole history, oldest first, one keyset page at a time. */
export class ExportRepository {
  constructor(private readonly db: Database) {}

  /** Up to `limit` concerts after `after` (date, then id), each with its photo and starred counts. */
  async page(userId: number, after: ExportPosition | null, limit: number) {
    const rows = await this.db
      .select({
        id: concerts.id,
        concertDate: concerts.concertDate,
        status: concerts.status,
        artistName: artists.name,
        artistMbid: artists.mbid,
        venueName: venues.name,
        venueCity: venues.city,
        venueCountryCode: venues.countryCode,
        city: concerts.city,
        countryCode: concerts.countryCode,
        tour: concerts.tour,
        supportingActs: concerts.supportingActs,
        setlist: concerts.setlist,
        notes: concerts.notes,
        setlistfmUrl: concerts.setlistfmUrl,
        festivalName: festivals.name,
      })
      .from(concerts)
      .leftJoin(artists, eq(artists.id, concerts.artistId))
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .leftJoin(festivals, and(eq(festivals.userId, concerts.userId), eq(festivals.id, concerts.festivalId)))
      .where(
        and(
          eq(concerts.userId, userId),
          // (user_id, concert_date) is indexed, and the primary key (id) rides along in it: no sort needed.
          after === null
            ? undefined
            : or(gt(concerts.concertDate, after.concertDate), and(eq(concerts.concertDate, after.concertDate), gt(concerts.id, after.id))),
        ),
      )
      .orderBy(asc(concerts.concertDate), asc(concerts.id))
      .limit(limit);
    const counts = await this.photoCounts(
      userId,
      rows.map((row) => row.id),
    );
    return rows.map((row) => ({ ...row, photoCount: counts.get(row.id)?.photos ?? 0, starredCount: counts.get(row.id)?.starred ?? 0 }));
  }

  /** How many concerts the export will hold (the progress bar's 100 %). */
  async count(userId: number): Promise<number> {
    const [row] = await this.db.$primary.select({ n: count() }).from(concerts).where(eq(concerts.userId, userId));
    return row?.n ?? 0;
  }

  /**
   * The first `perConcert` starred photos (by time taken) of each of these concerts,
   * with the keys of their renditions: what the PDF concert book shows.
   */
  async starredPhotos(userId: number, concertIds: number[], perConcert: number) {
    if (!concertIds.length) return [];
    const ranked = this.db
      .select({
        id: photos.id,
        concertId: photos.concertId,
        variantsKey: photos.variantsKey,
        thumbnailKey: photos.thumbnailKey,
        rank: sql<number>`ROW_NUMBER() OVER (PARTITION BY ${photos.concertId} ORDER BY ${photos.takenAt}, ${photos.id})`.as('photo_rank'),
      })
      .from(photos)
      .where(and(eq(photos.userId, userId), inArray(photos.concertId, concertIds), eq(photos.starred, true), visiblePhoto))
      .as('ranked');
    const rows = await this.db
      .select({ id: ranked.id, concertId: ranked.concertId, variantsKey: ranked.variantsKey, thumbnailKey: ranked.thumbnailKey })
      .from(ranked)
      .where(lte(ranked.rank, perConcert))
      .orderBy(asc(ranked.concertId), asc(ranked.rank));
    return rows.flatMap((row) => (row.concertId === null ? [] : [{ ...row, concertId: row.concertId }]));
  }

  /** One grouped query for the page, on the (user_id, concert_id, starred) index. */
  private async photoCounts(userId: number, concertIds: number[]) {
    const counts = new Map<number, { photos: number; starred: number }>();
    if (!concertIds.length) return counts;
    const rows = await this.db
      .select({
        concertId: photos.concertId,
        photos: count(),
        starred: sql<string | number>`COALESCE(SUM(${photos.starred}), 0)`,
      })
      .from(photos)
      .where(and(eq(photos.userId, userId), inArray(photos.concertId, concertIds), visiblePhoto))
      .groupBy(photos.concertId);
    for (const row of rows) {
      if (row.concertId !== null) counts.set(row.concertId, { photos: Number(row.photos), starred: Number(row.starred) });
    }
    return counts;
  }
}
