/**
 * The aggregate queries behind a user's stats. Each one groups in the database over
 * an index that starts with user_id (concerts: (user_id, concert_date),
 * (user_id, artist_id), (user_id, venue_id, concert_date)), so a long history costs
 * a handful of index scans and never a row per concert in Node.
 *
 * Every concert of the user counts, confirmed or still "needs review": a concert
 * waiting for its artist or venue was attended all the same.
 */
import { and, asc, count, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { artists, concerts, photos, users, venues } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import { visiblePhoto } from './photo-query.repository.js';
import { homeCityColumns } from './user.repository.js';

export class StatsRepository {
  constructor(private readonly db: Database) {}

  /** Concerts per (year, ISO weekday): at most 7 rows a year, enough for the totals, the years and the weekdays. */
  calendar(userId: number) {
    const year = sql<number>`YEAR(${concerts.concertDate})`.mapWith(Number);
    // WEEKDAY() is 0 for Monday: +1 makes it ISO.
    const weekday = sql<number>`WEEKDAY(${concerts.concertDate}) + 1`.mapWith(Number);
    return this.db.select({ year, weekday, count: count() }).from(concerts).where(eq(concerts.userId, userId)).groupBy(year, weekday);
  }

  /** How many different artists and venues the user has seen. */
  async distinct(userId: number): Promise<{ artists: number; venues: number }> {
    const [row] = await this.db
      .select({
        artists: sql<number>`COUNT(DISTINCT ${concerts.artistId})`.mapWith(Number),
        venues: sql<number>`COUNT(DISTINCT ${concerts.venueId})`.mapWith(Number),
      })
      .from(concerts)
      .where(eq(concerts.userId, userId));
    return row ?? { artists: 0, venues: 0 };
  }

  /** How many festivals the user saw acts at, and how many acts (each act is one of the user's concerts). */
  async festivalActs(userId: number): Promise<{ festivals: number; acts: number }> {
    const [row] = await this.db
      .select({ festivals: sql<number>`COUNT(DISTINCT ${concerts.festivalId})`.mapWith(Number), acts: count() })
      .from(concerts)
      .where(and(eq(concerts.userId, userId), isNotNull(concerts.festivalId)));
    return row ?? { festivals: 0, acts: 0 };
  }

  async visiblePhotoCount(userId: number): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(photos)
      .where(and(eq(photos.userId, userId), visiblePhoto));
    return row?.n ?? 0;
  }

  topArtists(userId: number, limit: number) {
    const n = count();
    return this.db
      .select({ id: artists.id, name: artists.name, count: n })
      .from(concerts)
      .innerJoin(artists, eq(artists.id, concerts.artistId))
      .where(eq(concerts.userId, userId))
      .groupBy(artists.id, artists.name)
      .orderBy(desc(n), asc(artists.name), asc(artists.id))
      .limit(limit);
  }

  topVenues(userId: number, limit: number) {
    const n = count();
    return this.db
      .select({ id: venues.id, name: venues.name, city: venues.city, countryCode: venues.countryCode, count: n })
      .from(concerts)
      .innerJoin(venues, eq(venues.id, concerts.venueId))
      .where(eq(concerts.userId, userId))
      .groupBy(venues.id, venues.name, venues.city, venues.countryCode)
      .orderBy(desc(n), asc(venues.name), asc(venues.id))
      .limit(limit);
  }

  /**
   * Concerts per (venue, year) with the venue's position and the year's first date:
   * the map's circles and the distances (issue 19). Concerts without a venue are not
   * here (a venue always has a position); at most a row per venue and year.
   */
  venueYears(userId: number) {
    const year = sql<number>`YEAR(${concerts.concertDate})`.mapWith(Number);
    return this.db
      .select({
        venueId: venues.id,
        name: venues.name,
        city: venues.city,
        countryCode: venues.countryCode,
        latitude: venues.latitude,
        longitude: venues.longitude,
        year,
        count: count(),
        firstDate: sql<string>`DATE_FORMAT(MIN(${concerts.concertDate}), '%Y-%m-%d')`,
      })
      .from(concerts)
      .innerJoin(venues, eq(venues.id, concerts.venueId))
      .where(eq(concerts.userId, userId))
      .groupBy(venues.id, venues.name, venues.city, venues.countryCode, venues.latitude, venues.longitude, year);
  }

  /** The year of the first concert in each (city, country): for the new places per year. */
  placeFirstYears(userId: number) {
    return this.db
      .select({ city: concerts.city, countryCode: concerts.countryCode, firstYear: sql<number>`YEAR(MIN(${concerts.concertDate}))`.mapWith(Number) })
      .from(concerts)
      .where(eq(concerts.userId, userId))
      .groupBy(concerts.city, concerts.countryCode);
  }

  /** Where the user's distances are measured from, or null. */
  async home(userId: number) {
    const [row] = await this.db.select(homeCityColumns).from(users).where(eq(users.id, userId)).limit(1);
    if (!row?.name || row.latitude === null || row.longitude === null) return null;
    return { name: row.name, countryCode: row.countryCode, latitude: row.latitude, longitude: row.longitude };
  }

  /** Concerts per (city, country), unknown cities included: the countries are summed from these rows. */
  places(userId: number) {
    const n = count();
    return this.db
      .select({ city: concerts.city, countryCode: concerts.countryCode, count: n })
      .from(concerts)
      .where(eq(concerts.userId, userId))
      .groupBy(concerts.city, concerts.countryCode)
      .orderBy(desc(n), asc(concerts.city));
  }

  /**
   * The n-th concert of the history for each of `ranks` (1-based, in date order, the
   * id breaking ties on one evening), with its artist and venue. One query: the
   * ranking runs over the (user_id, concert_date) index, only the picked rows are joined.
   */
  async nthConcerts(userId: number, ranks: readonly number[]) {
    if (!ranks.length) return [];
    const ranked = this.db
      .select({
        id: concerts.id,
        rank: sql<number>`ROW_NUMBER() OVER (ORDER BY ${concerts.concertDate}, ${concerts.id})`.mapWith(Number).as('concert_rank'),
      })
      .from(concerts)
      .where(eq(concerts.userId, userId))
      .as('ranked');
    return this.db
      .select({
        rank: ranked.rank,
        id: concerts.id,
        concertDate: concerts.concertDate,
        city: concerts.city,
        countryCode: concerts.countryCode,
        artist: { id: artists.id, name: artists.name },
        venue: { id: venues.id, name: venues.name },
      })
      .from(ranked)
      .innerJoin(concerts, and(eq(concerts.userId, userId), eq(concerts.id, ranked.id)))
      .leftJoin(artists, eq(artists.id, concerts.artistId))
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .where(inArray(ranked.rank, [...ranks]))
      .orderBy(asc(ranked.rank));
  }

  /**
   * The songs heard live most often, from the stored setlists (sets → songs, see
   * shared/concert.schema.ts) unnested by JSON_TABLE: a song counts once per
   * concert however often it was played that night, tape songs (intros, outros
   * played from a recording) not at all. Grouped by the performing artist and the
   * name, compared as the column collation does (case and trailing spaces ignored).
   * Each comes with the concert it was first heard at: the least (date, id) of the
   * group, found in the same pass as a fixed-width key and joined afterwards for
   * only the songs picked.
   */
  topSongs(userId: number, limit: number) {
    const songs = sql`JSON_TABLE(${concerts.setlist}, '$[*]' COLUMNS (NESTED PATH '$.songs[*]' COLUMNS (
      song VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci PATH '$.name',
      tape VARCHAR(5) PATH '$.tape'
    ))) AS played`;
    const song = sql<string>`played.song`;
    const concertsHeard = sql<number>`COUNT(DISTINCT ${concerts.id})`.mapWith(Number);
    // "yyyy-mm-dd" + 20 zero-padded digits of the id: sorts as (date, id) does.
    const firstKey = sql<string>`MIN(CONCAT(${concerts.concertDate}, LPAD(${concerts.id}, 20, '0')))`;
    const top = this.db
      .select({
        song: song.as('song'),
        artistId: sql<number>`${artists.id}`.as('top_artist_id'),
        artistName: sql<string>`${artists.name}`.as('top_artist_name'),
        count: concertsHeard.as('heard'),
        firstKey: firstKey.as('first_key'),
      })
      .from(concerts)
      .crossJoin(songs)
      .innerJoin(artists, eq(artists.id, concerts.artistId))
      .where(and(eq(concerts.userId, userId), isNotNull(concerts.setlist), sql`${song} <> ''`, sql`(played.tape IS NULL OR played.tape <> 'true')`))
      .groupBy(artists.id, artists.name, song)
      .orderBy(desc(concertsHeard), asc(song), asc(artists.name))
      .limit(limit)
      .as('top');
    return this.db
      .select({
        song: top.song,
        artist: { id: sql<number>`${top.artistId}`.mapWith(Number), name: top.artistName },
        count: sql<number>`${top.count}`.mapWith(Number),
        firstHeard: {
          concertId: concerts.id,
          concertDate: concerts.concertDate,
          city: concerts.city,
          countryCode: concerts.countryCode,
          venueName: venues.name,
        },
      })
      .from(top)
      .innerJoin(concerts, and(eq(concerts.userId, userId), sql`${concerts.id} = CAST(SUBSTRING(${top.firstKey}, 11) AS UNSIGNED)`))
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .orderBy(desc(top.count), asc(top.song), asc(top.artistName));
  }
}
