import { and, asc, between, eq, isNull, or, sql } from 'drizzle-orm';
import { venues } from '../../drizzle/schema/index.js';
import { boundingBox, distanceMeters, type LatLon } from '../../shared/geo.js';
import type { Database } from '../db/client.js';

export type Venue = typeof venues.$inferSelect;
export type OsmVenueInsert = Pick<typeof venues.$inferInsert, 'name' | 'city' | 'countryCode' | 'latitude' | 'longitude'> & {
  osmType: 'node' | 'way' | 'relation';
  osmId: number;
};
/** A venue a user gave: a name they typed, or setlist.fm's venue placed where their photos were. */
export type OwnVenueInsert = Pick<typeof venues.$inferInsert, 'name' | 'city' | 'countryCode' | 'latitude' | 'longitude' | 'setlistfmId'> & {
  source: 'user' | 'setlistfm';
};

/** The venues a user may see and pick: OpenStreetMap's, shared by everyone, and their own. */
export const venueVisibleTo = (userId: number) => or(isNull(venues.userId), eq(venues.userId, userId));

/**
 * Venues: OpenStreetMap's are shared facts about places (`user_id` null); a venue
 * whose name or position a user gave is theirs alone. Every read a user's request
 * or job makes goes through `venueVisibleTo`.
 */
export class VenueRepository {
  constructor(private readonly db: Database) {}

  /** Any venue by id, for a job that got the id from this user's own detection. */
  async find(id: number): Promise<Venue | null> {
    const [row] = await this.db.select().from(venues).where(eq(venues.id, id)).limit(1);
    return row ?? null;
  }

  /** The venue if this user may see it. From the primary: it may have been made a moment ago. */
  async findVisible(userId: number, id: number): Promise<Venue | null> {
    const [row] = await this.db.$primary
      .select()
      .from(venues)
      .where(and(eq(venues.id, id), venueVisibleTo(userId)))
      .limit(1);
    return row ?? null;
  }

  /** Venues this user may see within `radiusMeters`, nearest first: an indexed box, then the exact distance. */
  async near(userId: number, center: LatLon, radiusMeters: number, limit = 10): Promise<Array<Venue & { distanceMeters: number }>> {
    const box = boundingBox(center, radiusMeters);
    const rows = await this.db
      .select()
      .from(venues)
      .where(
        and(
          between(venues.latitude, box.minLatitude, box.maxLatitude),
          between(venues.longitude, box.minLongitude, box.maxLongitude),
          venueVisibleTo(userId),
        ),
      )
      .orderBy(asc(venues.id))
      .limit(500);
    return rows
      .map((row) => ({ ...row, distanceMeters: distanceMeters(center, row) }))
      .filter((row) => row.distanceMeters <= radiusMeters)
      .sort((a, b) => a.distanceMeters - b.distanceMeters)
      .slice(0, limit);
  }

  /** One shared row per OpenStreetMap element however many workers find it at once; its id either way. */
  async upsertFromOsm(venue: OsmVenueInsert): Promise<number> {
    const [result] = await this.db
      .insert(venues)
      .values({ ...venue, source: 'osm' })
      .onDuplicateKeyUpdate({
        set: {
          id: sql`LAST_INSERT_ID(${venues.id})`,
          name: sql`VALUES(${venues.name})`,
          latitude: sql`VALUES(${venues.latitude})`,
          longitude: sql`VALUES(${venues.longitude})`,
        },
      });
    return result.insertId;
  }

  /** A venue of this user's own, placed where their photos were. */
  async insertOwn(userId: number, venue: OwnVenueInsert): Promise<number> {
    const [result] = await this.db.insert(venues).values({ ...venue, userId });
    return result.insertId;
  }

  /**
   * Records which setlist.fm venue this one is (found by name in its city, from
   * setlist.fm's answer). The first mapping stays: nobody re-points a shared venue.
   */
  async setSetlistFmId(id: number, setlistfmId: string): Promise<void> {
    await this.db
      .update(venues)
      .set({ setlistfmId })
      .where(and(eq(venues.id, id), isNull(venues.setlistfmId)));
  }

  /** A venue this user may see that is mapped to setlist.fm's venue; a shared one first. */
  async findVisibleBySetlistFmId(userId: number, setlistfmId: string): Promise<Venue | null> {
    const [row] = await this.db.$primary
      .select()
      .from(venues)
      .where(and(eq(venues.setlistfmId, setlistfmId), venueVisibleTo(userId)))
      .orderBy(sql`${venues.userId} IS NOT NULL`, asc(venues.id))
      .limit(1);
    return row ?? null;
  }
}
