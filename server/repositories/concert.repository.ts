import { and, asc, count, desc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { artists, concerts, festivals, photos, venues } from '../../drizzle/schema/index.js';
import { EARLIEST_CONCERT_YEAR, LATEST_CONCERT_YEAR, type ConcertListInput } from '../../shared/concert.schema.js';
import type { Database } from '../db/client.js';
import { NotFoundError } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { contains } from './like-pattern.js';
import type { PhotoRenditions } from '../media/photo-media.js';
import { assignPhotos, renditionColumns, visiblePhoto } from './photo-query.repository.js';

export type ConcertRow = typeof concerts.$inferSelect;
export type NewConcert = Omit<typeof concerts.$inferInsert, 'id' | 'userId' | 'createdAt' | 'updatedAt'>;
export type ConcertPatch = Partial<NewConcert>;

/** How many photo ids each timeline item carries for its strip. */
const STRIP_SIZE = 6;

/** What a concert card shows of a concert (the timeline, a venue's page), its photo count and strip aside. */
const TIMELINE_COLUMNS = {
  id: concerts.id,
  concertDate: concerts.concertDate,
  status: concerts.status,
  artist: { id: artists.id, name: artists.name },
  venue: { id: venues.id, name: venues.name },
  city: concerts.city,
  countryCode: concerts.countryCode,
  /** The festival an act was seen at: the timeline shows a festival's acts as one card. */
  festival: { id: festivals.id, name: festivals.name },
};

/** The festival of a concert (the user's own, like the concert). */
const festivalOfConcert = and(eq(festivals.userId, concerts.userId), eq(festivals.id, concerts.festivalId));

// The sort key of the last concert sent: its date and id.
const concertCursor = z.tuple([z.iso.date(), z.number().int().positive()]);

/**
 * Facts a merge may take from a source concert when the target lacks them. Each
 * group moves whole (a setlist with its setlist.fm link, a position with its zone),
 * and is taken when its first field is set.
 */
const MERGE_FIELD_GROUPS = [
  ['artistId'],
  ['venueId', 'venueConfidence'],
  ['city', 'countryCode'],
  ['tour'],
  ['supportingActs'],
  ['setlist', 'setlistfmId', 'setlistfmUrl'],
  ['latitude', 'longitude', 'timeZone'],
  ['notes'],
  ['eventKey'],
] as const satisfies ReadonlyArray<readonly [keyof NewConcert, ...Array<keyof NewConcert>]>;

export class ConcertRepository {
  constructor(private readonly db: Database) {}

  /** The user's timeline, newest first, one keyset page at a time, each concert with its photo count and strip. */
  async list(userId: number, { cursor, limit, year, q }: ConcertListInput) {
    const after = cursor === undefined ? undefined : decodeCursor(cursor, concertCursor);
    const rows = await this.db
      .select(TIMELINE_COLUMNS)
      .from(concerts)
      .leftJoin(artists, eq(artists.id, concerts.artistId))
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .leftJoin(festivals, festivalOfConcert)
      .where(
        and(
          eq(concerts.userId, userId),
          // A date range, not YEAR(): the (user_id, concert_date) index serves it.
          year === undefined ? undefined : and(gte(concerts.concertDate, `${year}-01-01`), lt(concerts.concertDate, `${year + 1}-01-01`)),
          after && and(lte(concerts.concertDate, after[0]), or(lt(concerts.concertDate, after[0]), lt(concerts.id, after[1]))),
          q === undefined ? undefined : or(contains(artists.name, q), contains(venues.name, q), contains(concerts.city, q)),
        ),
      )
      .orderBy(desc(concerts.concertDate), desc(concerts.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const strips = await this.photoStrips(
      userId,
      page.map((row) => row.id),
    );
    return {
      items: page.map((row) => ({ ...row, photoCount: strips.get(row.id)?.count ?? 0, photos: strips.get(row.id)?.photos ?? [] })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.concertDate, last.id]) : null,
    };
  }

  /**
   * Every concert of the user at one venue, newest first, as its card shows it (with
   * the tour): one range of the (user_id, venue_id, concert_date) index, then the strips.
   */
  async atVenue(userId: number, venueId: number) {
    const rows = await this.db
      .select({ ...TIMELINE_COLUMNS, tour: concerts.tour })
      .from(concerts)
      .leftJoin(artists, eq(artists.id, concerts.artistId))
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .leftJoin(festivals, festivalOfConcert)
      .where(and(eq(concerts.userId, userId), eq(concerts.venueId, venueId)))
      .orderBy(desc(concerts.concertDate), desc(concerts.id));
    const strips = await this.photoStrips(
      userId,
      rows.map((row) => row.id),
    );
    return rows.map((row) => ({ ...row, photoCount: strips.get(row.id)?.count ?? 0, photos: strips.get(row.id)?.photos ?? [] }));
  }

  /**
   * The years the user has concerts in, newest first, with how many: one pass over the
   * user's (user_id, concert_date) index range. Only years the list's year filter
   * accepts (a row dated otherwise, from before dates were checked, is offered by none).
   */
  async years(userId: number): Promise<Array<{ year: number; count: number }>> {
    const year = sql<number>`YEAR(${concerts.concertDate})`.mapWith(Number);
    return this.db
      .select({ year, count: count() })
      .from(concerts)
      .where(
        and(
          eq(concerts.userId, userId),
          gte(concerts.concertDate, `${EARLIEST_CONCERT_YEAR}-01-01`),
          lt(concerts.concertDate, `${LATEST_CONCERT_YEAR + 1}-01-01`),
        ),
      )
      .groupBy(year)
      .orderBy(desc(year));
  }

  /** Everything the concert page shows. From the primary: the page opens right after a create or an edit. */
  async get(userId: number, id: number) {
    const [row] = await this.db.$primary
      .select({
        id: concerts.id,
        concertDate: concerts.concertDate,
        status: concerts.status,
        artist: { id: artists.id, name: artists.name, mbid: artists.mbid },
        venue: {
          id: venues.id,
          name: venues.name,
          city: venues.city,
          countryCode: venues.countryCode,
          latitude: venues.latitude,
          longitude: venues.longitude,
        },
        city: concerts.city,
        countryCode: concerts.countryCode,
        tour: concerts.tour,
        supportingActs: concerts.supportingActs,
        setlist: concerts.setlist,
        setlistfmId: concerts.setlistfmId,
        setlistfmUrl: concerts.setlistfmUrl,
        notes: concerts.notes,
        latitude: concerts.latitude,
        longitude: concerts.longitude,
        timeZone: concerts.timeZone,
        festival: { id: festivals.id, name: festivals.name },
      })
      .from(concerts)
      .leftJoin(artists, eq(artists.id, concerts.artistId))
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .leftJoin(festivals, festivalOfConcert)
      .where(and(eq(concerts.userId, userId), eq(concerts.id, id)))
      .limit(1);
    if (!row) return null;
    const [photoCount] = await this.db.$primary
      .select({ n: count() })
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.concertId, id), visiblePhoto));
    return { ...row, photoCount: photoCount?.n ?? 0 };
  }

  /** The stored row, for edits that depend on what is there now. */
  async find(userId: number, id: number): Promise<ConcertRow | null> {
    const [row] = await this.db.$primary
      .select()
      .from(concerts)
      .where(and(eq(concerts.userId, userId), eq(concerts.id, id)))
      .limit(1);
    return row ?? null;
  }

  /** A new concert holding `photoIds` (taken from wherever they were). */
  async create(userId: number, concert: NewConcert, photoIds: readonly number[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [result] = await tx.insert(concerts).values({ ...concert, userId });
      await assignPhotos(tx, userId, photoIds, result.insertId);
      return result.insertId;
    });
  }

  async update(userId: number, id: number, patch: ConcertPatch): Promise<void> {
    await this.db
      .update(concerts)
      .set(patch)
      .where(and(eq(concerts.userId, userId), eq(concerts.id, id)));
  }

  /** Gives a concert without a position the given one (a concert made empty, then filled with photos). */
  async placeIfUnplaced(userId: number, id: number, place: Pick<NewConcert, 'latitude' | 'longitude' | 'timeZone'>) {
    await this.db
      .update(concerts)
      .set(place)
      .where(and(eq(concerts.userId, userId), eq(concerts.id, id), isNull(concerts.latitude)));
  }

  /** Removes the concert; its photos stay, unmatched, and automatic matching leaves them alone. */
  async delete(userId: number, id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .update(photos)
        .set({ concertId: null, eventKey: null })
        .where(and(eq(photos.userId, userId), eq(photos.concertId, id)));
      await tx.delete(concerts).where(and(eq(concerts.userId, userId), eq(concerts.id, id)));
    });
  }

  /**
   * Folds the sources into the target: their photos move over, the target's blanks
   * are filled from the first source that has them, the sources are deleted. The
   * result counts as confirmed by the user.
   */
  async merge(userId: number, targetId: number, sourceIds: readonly number[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(concerts)
        .where(and(eq(concerts.userId, userId), inArray(concerts.id, [targetId, ...sourceIds])))
        .orderBy(asc(concerts.id))
        .for('update');
      const target = rows.find((row) => row.id === targetId);
      if (!target) throw new NotFoundError('Concert');
      const sources = sourceIds.flatMap((id) => rows.filter((row) => row.id === id));
      const filled = fillBlanks(target, sources);
      const eventKey = filled.eventKey ?? target.eventKey;
      await tx
        .update(photos)
        .set({
          concertId: targetId,
          // Only photos of the event the target now stands for keep their key; see assignPhotos.
          eventKey: sql`IF(${photos.eventKey} <=> ${eventKey}, ${photos.eventKey}, NULL)`,
        })
        .where(
          and(
            eq(photos.userId, userId),
            inArray(
              photos.concertId,
              sources.map((source) => source.id),
            ),
          ),
        );
      // Sources go first: the target may take over a source's event key, unique per user.
      await tx.delete(concerts).where(and(eq(concerts.userId, userId), inArray(concerts.id, [...sourceIds])));
      await tx
        .update(concerts)
        .set({ ...filled, status: 'confirmed' })
        .where(and(eq(concerts.userId, userId), eq(concerts.id, targetId)));
    });
  }

  /** Per concert: how many photos it shows and the ids of up to STRIP_SIZE of them, starred first. One query for the page. */
  async photoStrips(userId: number, concertIds: number[]) {
    const strips = new Map<number, { count: number; photos: Array<{ id: number; height: number | null } & PhotoRenditions> }>();
    if (!concertIds.length) return strips;
    const ranked = this.db
      .select({
        id: photos.id,
        concertId: photos.concertId,
        ...renditionColumns,
        height: photos.height,
        rank: sql<number>`ROW_NUMBER() OVER (PARTITION BY ${photos.concertId} ORDER BY ${photos.starred} DESC, ${photos.takenAt} IS NULL, ${photos.takenAt}, ${photos.id})`.as(
          'strip_rank',
        ),
        total: sql<number>`COUNT(*) OVER (PARTITION BY ${photos.concertId})`.as('photo_total'),
      })
      .from(photos)
      .where(and(eq(photos.userId, userId), inArray(photos.concertId, concertIds), visiblePhoto))
      .as('ranked');
    const rows = await this.db
      .select({
        id: ranked.id,
        concertId: ranked.concertId,
        total: ranked.total,
        thumbnailKey: ranked.thumbnailKey,
        variantsKey: ranked.variantsKey,
        blurPlaceholder: ranked.blurPlaceholder,
        width: ranked.width,
        height: ranked.height,
      })
      .from(ranked)
      .where(lte(ranked.rank, STRIP_SIZE))
      .orderBy(asc(ranked.concertId), asc(ranked.rank));
    for (const row of rows) {
      if (row.concertId === null) continue;
      const { concertId, total, ...photo } = row;
      const strip = strips.get(concertId) ?? { count: Number(total), photos: [] };
      strip.photos.push(photo);
      strips.set(row.concertId, strip);
    }
    return strips;
  }
}

function fillBlanks(target: ConcertRow, sources: readonly ConcertRow[]): ConcertPatch {
  const patch: ConcertPatch = {};
  for (const group of MERGE_FIELD_GROUPS) {
    const [lead] = group;
    if (target[lead] !== null) continue;
    const donor = sources.find((source) => source[lead] !== null);
    if (donor) Object.assign(patch, Object.fromEntries(group.map((field) => [field, donor[field]])));
  }
  return patch;
}
