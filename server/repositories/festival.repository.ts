/**
 * Festivals, their days' lineups and the photos waiting for an act
 * (drizzle/schema/festivals.ts). Every query is scoped by user.
 */
import { and, asc, count, eq, gte, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { artists, concerts, festivalActs, festivals, photos, users } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import { visiblePhoto } from './photo-query.repository.js';

export type FestivalRow = typeof festivals.$inferSelect;
export type NewFestival = Omit<typeof festivals.$inferInsert, 'id' | 'userId' | 'firstDate' | 'lastDate' | 'createdAt' | 'updatedAt'>;
export type LineupAct = Pick<typeof festivalActs.$inferInsert, 'artistId' | 'stage' | 'setlistfmId' | 'setlistfmUrl' | 'setlist'>;

/**
 * How many waiting photos are clustered at once (the oldest first): a weekend is a few
 * hundred; the rest of a huge backlog follows as these are assigned.
 */
const PENDING_WINDOW = 5_000;

/** A day of a festival joins the festival whose days it continues: at most this many days after its last (or before its first). */
const ADJACENT_DAYS = 1;

const actColumns = {
  id: festivalActs.id,
  festivalId: festivalActs.festivalId,
  dayDate: festivalActs.dayDate,
  artist: { id: artists.id, name: artists.name },
  stage: festivalActs.stage,
  position: festivalActs.position,
  setlistfmUrl: festivalActs.setlistfmUrl,
  setStart: festivalActs.setStart,
  setEnd: festivalActs.setEnd,
  /** Null until a cluster was assigned, and again if the act's concert was deleted. */
  concertId: concerts.id,
};

export type FestivalAct = Awaited<ReturnType<FestivalRepository['acts']>>[number];

export class FestivalRepository {
  constructor(private readonly db: Database) {}

  find(userId: number, festivalId: number): Promise<FestivalRow | undefined> {
    return this.db.$primary
      .select()
      .from(festivals)
      .where(and(eq(festivals.userId, userId), eq(festivals.id, festivalId)))
      .then(([row]) => row);
  }

  /** The user's festival at this venue whose days hold the evening: its later events join it. */
  async dayAt(userId: number, venueId: number, evening: string): Promise<number | null> {
    const [row] = await this.db.$primary
      .select({ id: festivals.id })
      .from(festivals)
      .innerJoin(festivalActs, and(eq(festivalActs.userId, userId), eq(festivalActs.festivalId, festivals.id), eq(festivalActs.dayDate, evening)))
      .where(and(eq(festivals.userId, userId), eq(festivals.venueId, venueId)))
      .limit(1);
    return row?.id ?? null;
  }

  /**
   * The festival this day belongs to (the user's festival at the same site whose days
   * it continues, stretched to hold it), else a new one; the day's lineup is added to
   * it. The user's row is locked meanwhile, so two days matched at once make one festival.
   */
  async joinOrCreate(userId: number, festival: NewFestival, day: string, lineup: readonly LineupAct[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
      const [near] = await tx
        .select({ id: festivals.id, firstDate: festivals.firstDate, lastDate: festivals.lastDate })
        .from(festivals)
        .where(
          and(
            eq(festivals.userId, userId),
            eq(festivals.siteKey, festival.siteKey),
            lte(festivals.firstDate, sql`DATE_ADD(${day}, INTERVAL ${ADJACENT_DAYS} DAY)`),
            gte(festivals.lastDate, sql`DATE_SUB(${day}, INTERVAL ${ADJACENT_DAYS} DAY)`),
          ),
        )
        .orderBy(asc(festivals.id))
        .limit(1);
      let festivalId: number;
      if (near) {
        festivalId = near.id;
        await tx
          .update(festivals)
          .set({ firstDate: day < near.firstDate ? day : near.firstDate, lastDate: day > near.lastDate ? day : near.lastDate })
          .where(and(eq(festivals.userId, userId), eq(festivals.id, near.id)));
      } else {
        const [result] = await tx.insert(festivals).values({ ...festival, userId, firstDate: day, lastDate: day });
        festivalId = result.insertId;
      }
      const [last] = await tx
        .select({ position: sql<number | null>`MAX(${festivalActs.position})` })
        .from(festivalActs)
        .where(and(eq(festivalActs.userId, userId), eq(festivalActs.festivalId, festivalId), eq(festivalActs.dayDate, day)));
      const start = (last?.position ?? -1) + 1;
      if (lineup.length) {
        await tx
          .insert(festivalActs)
          .values(lineup.map((act, index) => ({ ...act, userId, festivalId, dayDate: day, position: start + index })))
          // A day asked for again (a rescan) keeps its acts, their set times and concerts.
          .onDuplicateKeyUpdate({ set: { id: sql`${festivalActs.id}` } });
      }
      return festivalId;
    });
  }

  /** The event's photos that wait for an act: marked as this festival's; how many. */
  async linkEventPhotos(userId: number, eventKey: string, festivalId: number): Promise<number> {
    const [result] = await this.db
      .update(photos)
      .set({ festivalId })
      .where(and(eq(photos.userId, userId), eq(photos.eventKey, eventKey), isNull(photos.concertId)));
    return result.affectedRows;
  }

  /** A festival's lineup, day by day in setlist.fm's order, each act with its concert once seen. */
  acts(userId: number, festivalId: number) {
    return this.db.$primary
      .select(actColumns)
      .from(festivalActs)
      .innerJoin(artists, eq(artists.id, festivalActs.artistId))
      .leftJoin(concerts, and(eq(concerts.userId, userId), eq(concerts.id, festivalActs.concertId)))
      .where(and(eq(festivalActs.userId, userId), eq(festivalActs.festivalId, festivalId)))
      .orderBy(asc(festivalActs.dayDate), asc(festivalActs.position), asc(festivalActs.id));
  }

  /** One act with what its concert is made from. */
  async act(userId: number, actId: number) {
    const [row] = await this.db.$primary
      .select({ act: festivalActs, concertId: concerts.id })
      .from(festivalActs)
      .leftJoin(concerts, and(eq(concerts.userId, userId), eq(concerts.id, festivalActs.concertId)))
      .where(and(eq(festivalActs.userId, userId), eq(festivalActs.id, actId)))
      .limit(1);
    return row;
  }

  /**
   * The act's concert, made the first time a cluster is assigned to it (under a lock
   * on the act, so two clicks at once make one concert); its id either way.
   */
  async concertOfAct(userId: number, actId: number, festival: FestivalRow): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ act: festivalActs, concertId: concerts.id })
        .from(festivalActs)
        .leftJoin(concerts, and(eq(concerts.userId, userId), eq(concerts.id, festivalActs.concertId)))
        .where(and(eq(festivalActs.userId, userId), eq(festivalActs.id, actId)))
        .for('update');
      if (!row) throw new Error(`festival act ${actId} vanished`);
      if (row.concertId) return row.concertId;
      const { act } = row;
      const [result] = await tx.insert(concerts).values({
        userId,
        festivalId: festival.id,
        artistId: act.artistId,
        venueId: festival.venueId,
        concertDate: act.dayDate,
        city: festival.city,
        countryCode: festival.countryCode,
        latitude: festival.latitude,
        longitude: festival.longitude,
        timeZone: festival.timeZone,
        setlist: act.setlist,
        setlistfmId: act.setlistfmId,
        setlistfmUrl: act.setlistfmUrl,
        status: 'confirmed',
      });
      await tx
        .update(festivalActs)
        .set({ concertId: result.insertId })
        .where(and(eq(festivalActs.userId, userId), eq(festivalActs.id, actId)));
      return result.insertId;
    });
  }

  /** Gives the festival's waiting photos among `photoIds` to the concert; how many moved. */
  async assignPhotos(userId: number, festivalId: number, photoIds: readonly number[], concertId: number): Promise<number> {
    const [result] = await this.db
      .update(photos)
      .set({ concertId })
      .where(and(eq(photos.userId, userId), eq(photos.festivalId, festivalId), inArray(photos.id, [...photoIds]), isNull(photos.concertId)));
    return result.affectedRows;
  }

  async setTimes(userId: number, actId: number, setStart: string, setEnd: string): Promise<void> {
    await this.db
      .update(festivalActs)
      .set({ setStart, setEnd })
      .where(and(eq(festivalActs.userId, userId), eq(festivalActs.id, actId)));
  }

  async rename(userId: number, festivalId: number, name: string): Promise<void> {
    await this.db
      .update(festivals)
      .set({ name })
      .where(and(eq(festivals.userId, userId), eq(festivals.id, festivalId)));
  }

  /** Photos of the user's festivals (or of one) that wait for an act, with what clustering needs. */
  pendingPhotos(userId: number, festivalId?: number) {
    return this.db.$primary
      .select({
        id: photos.id,
        festivalId: photos.festivalId,
        takenAt: photos.takenAt,
        timeZone: photos.timeZone,
        latitude: photos.latitude,
        longitude: photos.longitude,
      })
      .from(photos)
      .where(
        and(
          eq(photos.userId, userId),
          festivalId === undefined ? isNotNull(photos.festivalId) : eq(photos.festivalId, festivalId),
          isNull(photos.concertId),
          // A festival's photos came through an evening, so they have a time; clusters need it.
          isNotNull(photos.takenAt),
          visiblePhoto,
        ),
      )
      .orderBy(asc(photos.takenAt), asc(photos.id))
      .limit(PENDING_WINDOW);
  }

  /** Where the festival's assigned photos were, per concert: how a stage's place is learnt. */
  assignedPhotoPlaces(userId: number, festivalId: number) {
    return this.db.$primary
      .select({ concertId: photos.concertId, latitude: photos.latitude, longitude: photos.longitude })
      .from(photos)
      .innerJoin(concerts, and(eq(concerts.userId, userId), eq(concerts.id, photos.concertId), eq(concerts.festivalId, festivalId)))
      .where(and(eq(photos.userId, userId), isNotNull(photos.latitude), isNotNull(photos.longitude), visiblePhoto));
  }

  /** The festivals the user has photos waiting in, by id, with how many. */
  async pendingCounts(userId: number): Promise<Map<number, number>> {
    const rows = await this.db
      .select({ festivalId: photos.festivalId, n: count() })
      .from(photos)
      .where(and(eq(photos.userId, userId), isNotNull(photos.festivalId), isNull(photos.concertId), visiblePhoto))
      .groupBy(photos.festivalId);
    return new Map(rows.flatMap((row) => (row.festivalId === null ? [] : [[row.festivalId, row.n] as const])));
  }

  /** Several festivals by id (names for the inbox and the timeline). */
  byIds(userId: number, festivalIds: readonly number[]) {
    if (!festivalIds.length) return Promise.resolve([]);
    return this.db
      .select({ id: festivals.id, name: festivals.name, firstDate: festivals.firstDate, lastDate: festivals.lastDate })
      .from(festivals)
      .where(and(eq(festivals.userId, userId), inArray(festivals.id, [...festivalIds])));
  }

  /** Adds one act to a day's lineup (after the others); the existing act's id when the artist is already in it. */
  async addAct(userId: number, festivalId: number, day: string, act: LineupAct): Promise<number> {
    return this.db.transaction(async (tx) => {
      const [last] = await tx
        .select({ position: sql<number | null>`MAX(${festivalActs.position})` })
        .from(festivalActs)
        .where(and(eq(festivalActs.userId, userId), eq(festivalActs.festivalId, festivalId), eq(festivalActs.dayDate, day)));
      const [result] = await tx
        .insert(festivalActs)
        .values({ ...act, userId, festivalId, dayDate: day, position: (last?.position ?? -1) + 1 })
        .onDuplicateKeyUpdate({ set: { id: sql`LAST_INSERT_ID(${festivalActs.id})` } });
      await tx
        .update(festivals)
        .set({ firstDate: sql`LEAST(${festivals.firstDate}, ${day})`, lastDate: sql`GREATEST(${festivals.lastDate}, ${day})` })
        .where(and(eq(festivals.userId, userId), eq(festivals.id, festivalId)));
      return result.insertId;
    });
  }

  /** A concert's photos go back to wait in its festival (the user said the concert was a festival); the concert goes. */
  async releaseConcert(userId: number, concertId: number, festivalId: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .update(photos)
        .set({ concertId: null, festivalId })
        .where(and(eq(photos.userId, userId), eq(photos.concertId, concertId)));
      await tx.delete(concerts).where(and(eq(concerts.userId, userId), eq(concerts.id, concertId)));
    });
  }
}
