import { z } from 'zod';
import type { LatLon } from '../../shared/geo.js';
import type { JsonCache } from '../cache/json-cache.js';
import { CACHE_TTL } from '../cache/versioned-cache.js';
import type { AppConfig } from '../config.js';
import { reverseGeocode } from '../geo/reverse-geocoder.js';
import type { OsmPlace } from '../integrations/overpass/overpass-client.js';
import { confidenceAtDistance, findVenue, rankVenueCandidates, type VenueSearch } from '../integrations/overpass/venue-ranking.js';
import type { VenueAliasRepository } from '../repositories/venue-alias.repository.js';
import type { VenueRepository } from '../repositories/venue.repository.js';

export interface DetectedVenue {
  venueId: number;
  /** 0–1: 1 for a venue the user named for this spot, less the farther the photos were from it. */
  confidence: number;
}

const cachedLookup = z.object({ venueId: z.number().int().positive().nullable(), confidence: z.number() });

/**
 * Where an event happened: the user's own corrections first, then the venues we
 * already know (OpenStreetMap's, shared by everyone, and the user's own; never
 * another user's), then OpenStreetMap. What OpenStreetMap says
 * about a spot is cached for a day, "nothing here" included, so every user and
 * every worker asks it once.
 */
export class VenueDetectionService {
  constructor(
    private readonly venues: VenueRepository,
    private readonly aliases: VenueAliasRepository,
    private readonly cache: JsonCache,
    /** OpenStreetMap through Overpass; null when not configured. */
    private readonly osm: VenueSearch | null,
    private readonly config: Pick<AppConfig, 'matching'>,
  ) {}

  async detect(userId: number, point: LatLon): Promise<DetectedVenue | null> {
    const aliased = await this.aliases.venueAt(userId, point);
    if (aliased) return { venueId: aliased, confidence: 1 };

    const radius = this.config.matching.venueSearchRadiusMeters;
    const [known] = await this.venues.near(userId, point, radius, 1);
    if (known) return { venueId: known.id, confidence: round(confidenceAtDistance(known.distanceMeters, radius)) };

    if (!this.osm) return null;
    const osm = this.osm;
    // About 100 m cells: events at one venue share the answer.
    const cell = `venue-near:${point.latitude.toFixed(3)},${point.longitude.toFixed(3)}`;
    const found = await this.cache.getOrLoad(cell, cachedLookup, CACHE_TTL.venues, async () => {
      const best = await findVenue(osm, point);
      if (!best) return { venueId: null, confidence: 0 };
      return { venueId: await this.saveOsmPlace(best.place), confidence: round(best.confidence) };
    });
    return found.venueId ? { venueId: found.venueId, confidence: found.confidence } : null;
  }

  /** Venues the user may pick for a spot (the review inbox): ones they may see within a kilometre, and OpenStreetMap's. */
  async candidatesNear(userId: number, point: LatLon, limit = 5) {
    const known = await this.venues.near(userId, point, CANDIDATE_RADIUS_METERS, limit);
    const fromOsm = this.osm
      ? rankVenueCandidates(
          await this.osm.findVenuesAround(point.latitude, point.longitude, CANDIDATE_RADIUS_METERS),
          point,
          this.config.matching.venueSearchRadiusMeters,
        ).slice(0, limit)
      : [];
    const byId = new Map(known.map((venue) => [venue.id, venue]));
    for (const { place, distanceMeters } of fromOsm) {
      const id = await this.saveOsmPlace(place);
      if (!byId.has(id)) byId.set(id, { ...(await this.venues.find(id))!, distanceMeters });
    }
    return [...byId.values()].sort((a, b) => a.distanceMeters - b.distanceMeters).slice(0, limit);
  }

  private saveOsmPlace(place: OsmPlace): Promise<number> {
    const where = reverseGeocode(place.latitude, place.longitude);
    return this.venues.upsertFromOsm({
      osmType: place.osmType,
      osmId: place.osmId,
      name: place.name,
      city: place.city ?? where?.city ?? null,
      countryCode: place.countryCode ?? where?.countryCode ?? null,
      latitude: place.latitude,
      longitude: place.longitude,
    });
  }
}

const CANDIDATE_RADIUS_METERS = 1_000;

const round = (confidence: number) => Math.round(confidence * 100) / 100;
