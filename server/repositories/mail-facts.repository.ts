/**
 * What mails tell: read-only queries for the facts of each kind of mail, every one
 * bounded by the user's own rows (user_id leads every index used here).
 */
import { and, asc, count, countDistinct, desc, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { artists, concerts, photos, scans, sources, venues } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import { visiblePhoto } from './photo-query.repository.js';
import { scanColumns } from './scan.repository.js';

export interface MailConcert {
  id: number;
  concertDate: string;
  artistName: string | null;
  venueName: string | null;
  city: string | null;
  /** The storage key of the concert's picture: its best starred photo's 400 px variant, else a thumbnail. */
  imageKey: string | null;
}

const concertColumns = {
  id: concerts.id,
  concertDate: concerts.concertDate,
  artistName: artists.name,
  venueName: venues.name,
  city: sql<string | null>`COALESCE(${concerts.city}, ${venues.city})`,
};

/** Milestones and "on this day" count the concerts the user has (confirmed ones: a concert awaiting review may be none). */
const countedConcert = eq(concerts.status, 'confirmed');

export class MailFactsRepository {
  constructor(private readonly db: Database) {}

  async scan(userId: number, scanId: number) {
    const [row] = await this.db.$primary
      .select({ ...scanColumns, sourceLabel: sources.label })
      .from(scans)
      .leftJoin(sources, and(eq(sources.userId, scans.userId), eq(sources.id, scans.sourceId)))
      .where(and(eq(scans.userId, userId), eq(scans.id, scanId)))
      .limit(1);
    return row ?? null;
  }

  /** The concerts a scan's photos went into, newest first, and how many there are in all. */
  async concertsOfScan(userId: number, scanId: number, limit: number): Promise<{ total: number; concerts: MailConcert[] }> {
    const ofScan = and(eq(photos.userId, userId), eq(photos.scanId, scanId), isNotNull(photos.concertId));
    const [total] = await this.db.$primary
      .select({ n: countDistinct(photos.concertId) })
      .from(photos)
      .where(ofScan);
    const rows = await this.db.$primary
      .select(concertColumns)
      .from(concerts)
      .leftJoin(artists, eq(artists.id, concerts.artistId))
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .where(
        and(eq(concerts.userId, userId), inArray(concerts.id, this.db.$primary.selectDistinct({ id: photos.concertId }).from(photos).where(ofScan))),
      )
      .orderBy(desc(concerts.concertDate), desc(concerts.id))
      .limit(limit);
    return { total: total?.n ?? 0, concerts: await this.withImages(userId, rows) };
  }

  async countConcerts(userId: number): Promise<number> {
    const [row] = await this.db.$primary
      .select({ n: count() })
      .from(concerts)
      .where(and(eq(concerts.userId, userId), countedConcert));
    return row?.n ?? 0;
  }

  /** The user's n-th concert by date (1-based): the one a milestone mail celebrates. */
  async nthConcert(userId: number, n: number): Promise<MailConcert | null> {
    const rows = await this.db.$primary
      .select(concertColumns)
      .from(concerts)
      .leftJoin(artists, eq(artists.id, concerts.artistId))
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .where(and(eq(concerts.userId, userId), countedConcert))
      .orderBy(asc(concerts.concertDate), asc(concerts.id))
      .limit(1)
      .offset(n - 1);
    const [concert] = await this.withImages(userId, rows);
    return concert ?? null;
  }

  /**
   * Concerts on this month and day in earlier years, newest first. The month-day test
   * runs on the user's own range of concerts_user_date_idx, so it reads at most the
   * user's concerts before `beforeDate`.
   */
  async onThisDay(userId: number, month: number, day: number, beforeDate: string, limit: number): Promise<MailConcert[]> {
    const rows = await this.db.$primary
      .select(concertColumns)
      .from(concerts)
      .leftJoin(artists, eq(artists.id, concerts.artistId))
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .where(and(eq(concerts.userId, userId), countedConcert, lt(concerts.concertDate, beforeDate), this.onMonthDay(month, day)))
      .orderBy(desc(concerts.concertDate), desc(concerts.id))
      .limit(limit);
    return this.withImages(userId, rows);
  }

  /** Which of these users have a concert on this month and day before `beforeDate` (one query for a page of users). */
  async usersWithConcertsOn(userIds: readonly number[], month: number, day: number, beforeDate: string): Promise<number[]> {
    if (!userIds.length) return [];
    const rows = await this.db
      .selectDistinct({ userId: concerts.userId })
      .from(concerts)
      .where(and(inArray(concerts.userId, [...userIds]), countedConcert, lt(concerts.concertDate, beforeDate), this.onMonthDay(month, day)));
    return rows.map((row) => row.userId);
  }

  private onMonthDay(month: number, day: number) {
    return sql`MONTH(${concerts.concertDate}) = ${month} AND DAYOFMONTH(${concerts.concertDate}) = ${day}`;
  }

  /** One indexed lookup per concert (mails show a handful): starred first, a rendered variant before a thumbnail. */
  private async withImages(userId: number, rows: Array<Omit<MailConcert, 'imageKey'>>): Promise<MailConcert[]> {
    return Promise.all(
      rows.map(async (row) => {
        const [photo] = await this.db.$primary
          .select({ thumbnailKey: photos.thumbnailKey, variantsKey: photos.variantsKey })
          .from(photos)
          .where(and(eq(photos.userId, userId), eq(photos.concertId, row.id), visiblePhoto, isNotNull(photos.thumbnailKey)))
          .orderBy(desc(photos.starred), sql`${photos.variantsKey} IS NULL`, asc(photos.takenAt), asc(photos.id))
          .limit(1);
        const imageKey = photo ? (photo.variantsKey ? `${photo.variantsKey}400.webp` : photo.thumbnailKey) : null;
        return { ...row, imageKey };
      }),
    );
  }
}
