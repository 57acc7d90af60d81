import { and, asc, between, count, countDistinct, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { artists, concerts, photos, venues } from '../../drizzle/schema/index.js';
import { boundingBox, distanceMeters, type LatLon } from '../../shared/geo.js';
import type { Database } from '../db/client.js';
import { visiblePhoto } from './photo-query.repository.js';

/**
 * How many unmatched photos (the latest imports) the inbox groups at once; the rest
 * wait for the next look. 2,000 photos make well over the 30 evenings a page shows,
 * and keep the inbox fast for a library with tens of thousands unmatched.
 */
const UNMATCHED_WINDOW = 2_000;

const concertSummary = {
  id: concerts.id,
  concertDate: concerts.concertDate,
  status: concerts.status,
  city: concerts.city,
  countryCode: concerts.countryCode,
  artist: { id: artists.id, name: artists.name },
  venue: { id: venues.id, name: venues.name },
};

export class InboxRepository {
  constructor(private readonly db: Database) {}

  /** Concerts the machine could not confirm, newest evening first, with their photo counts. */
  async needsReview(userId: number, limit: number) {
    const rows = await this.db
      .select(concertSummary)
      .from(concerts)
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .leftJoin(artists, eq(artists.id, concerts.artistId))
      .where(and(eq(concerts.userId, userId), eq(concerts.status, 'needs_review')))
      .orderBy(desc(concerts.concertDate), desc(concerts.id))
      .limit(limit);
    if (!rows.length) return [];
    const counts = await this.db
      .select({ concertId: photos.concertId, n: count() })
      .from(photos)
      .where(
        and(
          eq(photos.userId, userId),
          inArray(
            photos.concertId,
            rows.map((row) => row.id),
          ),
          visiblePhoto,
        ),
      )
      .groupBy(photos.concertId);
    const countOf = new Map(counts.map((c) => [c.concertId, c.n]));
    return rows.map((row) => ({ ...row, photoCount: countOf.get(row.id) ?? 0 }));
  }

  /** The user's unmatched photos (most recent imports first), with what grouping by evening needs; a festival's wait for their acts apart. */
  unmatchedPhotos(userId: number) {
    return this.db
      .select({ id: photos.id, takenAt: photos.takenAt, timeZone: photos.timeZone, latitude: photos.latitude, longitude: photos.longitude })
      .from(photos)
      .where(and(eq(photos.userId, userId), isNull(photos.concertId), isNull(photos.festivalId), visiblePhoto))
      .orderBy(desc(photos.createdAt), desc(photos.id))
      .limit(UNMATCHED_WINDOW);
  }

  async countUnmatched(userId: number): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(photos)
      .where(and(eq(photos.userId, userId), isNull(photos.concertId), isNull(photos.festivalId), visiblePhoto));
    return row?.n ?? 0;
  }

  photosByIds(userId: number, photoIds: readonly number[]) {
    return this.db.$primary
      .select({ id: photos.id, takenAt: photos.takenAt, timeZone: photos.timeZone, latitude: photos.latitude, longitude: photos.longitude })
      .from(photos)
      .where(and(eq(photos.userId, userId), inArray(photos.id, [...photoIds])));
  }

  /**
   * Other users' confirmed shows of an evening at shared venues near a place, by
   * how many users have them: only shared facts (an OpenStreetMap venue, a setlist.fm
   * artist) are read, never anyone's own names, tour or notes, nor who they are.
   */
  async othersShowsNear(userId: number, evening: string, place: LatLon, radiusMeters: number, limit = 5) {
    const box = boundingBox(place, radiusMeters);
    const users = countDistinct(concerts.userId);
    const rows = await this.db
      .select({
        artist: { id: artists.id, name: artists.name },
        venue: { id: venues.id, name: venues.name, latitude: venues.latitude, longitude: venues.longitude },
        users,
      })
      .from(concerts)
      .innerJoin(venues, and(eq(venues.id, concerts.venueId), isNull(venues.userId)))
      .innerJoin(artists, and(eq(artists.id, concerts.artistId), isNull(artists.userId)))
      .where(
        and(
          eq(concerts.concertDate, evening),
          ne(concerts.userId, userId),
          eq(concerts.status, 'confirmed'),
          between(venues.latitude, box.minLatitude, box.maxLatitude),
          between(venues.longitude, box.minLongitude, box.maxLongitude),
        ),
      )
      .groupBy(artists.id, artists.name, venues.id, venues.name, venues.latitude, venues.longitude)
      .orderBy(desc(users), asc(artists.name), asc(venues.id))
      .limit(50);
    return rows
      .map(({ artist, venue: { latitude, longitude, ...venue }, users: otherUsers }) => ({
        artist,
        venue: { ...venue, distanceMeters: Math.round(distanceMeters(place, { latitude, longitude })) },
        otherUsers,
      }))
      .filter((show) => show.venue.distanceMeters <= radiusMeters)
      .slice(0, limit);
  }

  /** The user's other concerts within a day of an evening: the show may be one they already have. */
  concertsAround(userId: number, from: string, to: string, exceptId: number | null) {
    return this.db
      .select(concertSummary)
      .from(concerts)
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .leftJoin(artists, eq(artists.id, concerts.artistId))
      .where(and(eq(concerts.userId, userId), between(concerts.concertDate, from, to), exceptId ? ne(concerts.id, exceptId) : sql`TRUE`))
      .orderBy(asc(concerts.concertDate), asc(concerts.id))
      .limit(20);
  }
}
