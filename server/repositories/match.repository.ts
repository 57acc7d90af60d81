/**
 * The queries of the matching stage: which photos of a scan still need an event,
 * which concerts an event may join, and the one-concert-per-event upsert.
 */
import { and, asc, count, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { concerts, photos, venues } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';

export type ConcertInsert = typeof concerts.$inferInsert;

export class MatchRepository {
  constructor(private readonly db: Database) {}

  /** Ready photos of the scan not yet in a concert, with what grouping needs. */
  unassignedOfScan(userId: number, scanId: number) {
    return this.db.$primary
      .select({ id: photos.id, takenAt: photos.takenAt, timeZone: photos.timeZone, latitude: photos.latitude, longitude: photos.longitude })
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.scanId, scanId), eq(photos.status, 'ready'), isNull(photos.concertId)))
      .orderBy(asc(photos.id));
  }

  /** The user's concerts of an evening with where they were (the photos' place, else the venue's). */
  concertsOnEvening(userId: number, evening: string) {
    return this.db.$primary
      .select({
        id: concerts.id,
        eventKey: concerts.eventKey,
        latitude: sql<number | null>`COALESCE(${concerts.latitude}, ${venues.latitude})`,
        longitude: sql<number | null>`COALESCE(${concerts.longitude}, ${venues.longitude})`,
      })
      .from(concerts)
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .where(and(eq(concerts.userId, userId), eq(concerts.concertDate, evening)))
      .orderBy(asc(concerts.id));
  }

  async tagPhotos(userId: number, photoIds: readonly number[], eventKey: string): Promise<void> {
    if (!photoIds.length) return;
    await this.db
      .update(photos)
      .set({ eventKey })
      .where(and(eq(photos.userId, userId), inArray(photos.id, [...photoIds]), isNull(photos.concertId)));
  }

  async assignPhotos(userId: number, photoIds: readonly number[], concertId: number): Promise<void> {
    if (!photoIds.length) return;
    await this.db
      .update(photos)
      .set({ concertId })
      .where(and(eq(photos.userId, userId), inArray(photos.id, [...photoIds]), isNull(photos.concertId)));
  }

  /** Puts the event's photos that are still unassigned into the concert; how many moved. */
  async linkEventPhotos(userId: number, eventKey: string, concertId: number): Promise<number> {
    const [result] = await this.db
      .update(photos)
      .set({ concertId })
      .where(and(eq(photos.userId, userId), eq(photos.eventKey, eventKey), isNull(photos.concertId)));
    return result.affectedRows;
  }

  async countMatchedOfScan(userId: number, scanId: number): Promise<number> {
    const [row] = await this.db.$primary
      .select({ n: count() })
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.scanId, scanId), eq(photos.status, 'ready'), isNotNull(photos.concertId)));
    return row?.n ?? 0;
  }

  async concertOfEvent(userId: number, eventKey: string): Promise<number | null> {
    const [row] = await this.db.$primary
      .select({ id: concerts.id })
      .from(concerts)
      .where(and(eq(concerts.userId, userId), eq(concerts.eventKey, eventKey)))
      .limit(1);
    return row?.id ?? null;
  }

  async userConcertAtVenue(userId: number, venueId: number, evening: string): Promise<number | null> {
    const [row] = await this.db.$primary
      .select({ id: concerts.id })
      .from(concerts)
      .where(and(eq(concerts.userId, userId), eq(concerts.venueId, venueId), eq(concerts.concertDate, evening)))
      .orderBy(asc(concerts.id))
      .limit(1);
    return row?.id ?? null;
  }

  /** One concert per (user, event) however many workers match the event at once; its id either way. */
  async upsertEventConcert(concert: ConcertInsert & { eventKey: string }): Promise<number> {
    const [result] = await this.db
      .insert(concerts)
      .values(concert)
      .onDuplicateKeyUpdate({ set: { id: sql`LAST_INSERT_ID(${concerts.id})` } });
    return result.insertId;
  }
}
