import { and, asc, between, eq, sql } from 'drizzle-orm';
import { venues } from '../../drizzle/schema/index.js';
import { boundingBox, distanceMeters, type LatLon } from '../../shared/geo.js';
import type { Database } from '../db/client.js';

export type Venue = typeof venues.$inferSelect;
export type OsmVenueInsert = Pick<typeof venues.$inferInsert, 'name' | 'city' | 'countryCode' | 'latitude' | 'longitude'> & {
  osmType: 'node' | 'way' | 'relation';
  osmId: number;
};

/** Venues are shared by every user: facts about places, nothing private. */
export class VenueRepository {
  constructor(private readonly db: Database) {}

  async find(id: number): Promise<Venue | null> {
    const [row] = await this.db.select().from(venues).where(eq(venues.id, id)).limit(1);
    return row ?? null;
  }

  /** Venues within `radiusMeters`, nearest first: an indexed box, then the exact distance. */
  async near(center: LatLon, radiusMeters: number, limit = 10): Promise<Array<Venue & { distanceMeters: number }>> {
    const box = boundingBox(center, radiusMeters);
    const rows = await this.db
      .select()
      .from(venues)
      .where(and(between(venues.latitude, box.minLatitude, box.maxLatitude), between(venues.longitude, box.minLongitude, box.maxLongitude)))
      .orderBy(asc(venues.id))
      .limit(500);
    return rows
      .map((row) => ({ ...row, distanceMeters: distanceMeters(center, row) }))
      .filter((row) => row.distanceMeters <= radiusMeters)
      .sort((a, b) => a.distanceMeters - b.distanceMeters)
      .slice(0, limit);
  }

  /** One row per OpenStreetMap element however many workers find it at once; its id either way. */
  async upsertFromOsm(venue: OsmVenueInsert): Promise<number> {
    const [result] = await this.db
      .insert(venues)
      .values(venue)
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

  /** A venue known only by name (a user typed it, or setlist.fm named it), placed where the photos were. */
  async insertNamed(venue: Pick<typeof venues.$inferInsert, 'name' | 'city' | 'countryCode' | 'latitude' | 'longitude' | 'setlistfmId'>) {
    const [result] = await this.db.insert(venues).values(venue);
    return result.insertId;
  }

  async setSetlistFmId(id: number, setlistfmId: string): Promise<void> {
    await this.db.update(venues).set({ setlistfmId }).where(eq(venues.id, id));
  }

  async findBySetlistFmId(setlistfmId: string): Promise<Venue | null> {
    const [row] = await this.db.select().from(venues).where(eq(venues.setlistfmId, setlistfmId)).limit(1);
    return row ?? null;
  }
}
