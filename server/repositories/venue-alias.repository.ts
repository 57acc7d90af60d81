import { and, between, eq } from 'drizzle-orm';
import { venueAliases, venues } from '../../drizzle/schema/index.js';
import { boundingBox, distanceMeters, type LatLon } from '../../shared/geo.js';
import type { Database } from '../db/client.js';
import { venueVisibleTo } from './venue.repository.js';

/** How close to a corrected spot later photos must be for the correction to apply. */
export const ALIAS_RADIUS_METERS = 150;

export class VenueAliasRepository {
  constructor(private readonly db: Database) {}

  /** Remembers that photos around `place` were taken at `venueId`; a newer correction of the same spot wins. */
  async remember(userId: number, venueId: number, place: LatLon): Promise<void> {
    await this.db.insert(venueAliases).values({ userId, venueId, latitude: place.latitude, longitude: place.longitude });
  }

  /**
   * The venue this user said is at this spot, the latest correction first; null when
   * none is that close. Only venues the user may still see count.
   */
  async venueAt(userId: number, place: LatLon): Promise<number | null> {
    const box = boundingBox(place, ALIAS_RADIUS_METERS);
    const rows = await this.db
      .select({ id: venueAliases.id, venueId: venueAliases.venueId, latitude: venueAliases.latitude, longitude: venueAliases.longitude })
      .from(venueAliases)
      .innerJoin(venues, eq(venues.id, venueAliases.venueId))
      .where(
        and(
          eq(venueAliases.userId, userId),
          between(venueAliases.latitude, box.minLatitude, box.maxLatitude),
          between(venueAliases.longitude, box.minLongitude, box.maxLongitude),
          venueVisibleTo(userId),
        ),
      );
    const near = rows
      .map((row) => ({ row, distance: distanceMeters(place, row) }))
      .filter(({ distance }) => distance <= ALIAS_RADIUS_METERS)
      .sort((a, b) => b.row.id - a.row.id);
    return near[0]?.row.venueId ?? null;
  }
}
