/**
 * Which OpenStreetMap place an evening's photos were taken at: the nearest
 * plausible one, where a place's distance is stretched by how unlikely its kind
 * is to host a concert (a theatre 100 m away loses to a music venue 90 m away,
 * and beats one 200 m away).
 */
import { z } from 'zod';
import { distanceMeters, type LatLon } from '../../../shared/geo.js';
import { osmPlaceSchema, type OsmPlace } from './overpass-client.js';

export const rankedVenueSchema = z.object({
  place: osmPlaceSchema,
  distanceMeters: z.number().nonnegative(),
  /** 0–1: the kind's weight, halved at the search radius and falling towards 0 beyond it. */
  confidence: z.number().min(0).max(1),
});

export type RankedVenue = z.infer<typeof rankedVenueSchema>;

/** What findVenue needs of OverpassClient. */
export interface VenueSearch {
  findVenuesAround(latitude: number, longitude: number, radiusMeters: number): Promise<OsmPlace[]>;
}

export const DEFAULT_RADIUS_METERS = 250;
export const DEFAULT_WIDENED_RADIUS_METERS = 800;

const AMENITY_WEIGHTS = new Map([
  ['music_venue', 1],
  ['concert_hall', 1],
  ['nightclub', 0.9],
  ['theatre', 0.8],
  ['arts_centre', 0.8],
  ['events_venue', 0.8],
]);
const LEISURE_WEIGHTS = new Map([
  ['stadium', 0.7],
  ['bandstand', 0.6],
]);

/** Tags that say a theatre is really a concert hall. */
const CONCERT_THEATRE_TYPES = new Set(['concert_hall']);
const CONCERT_THEATRE_GENRES = new Set(['philharmonic', 'concert', 'music', 'music_hall']);

/** Mappers add live_music=yes where bands play regularly: a nudge between two similar candidates, never past 1. */
const LIVE_MUSIC_BONUS = 0.05;

/** How plausible a concert is at a place of these tags, 0 (not a venue at all) to 1. */
export function venueKindWeight(tags: Readonly<Record<string, string>>): number {
  let weight = Math.max(AMENITY_WEIGHTS.get(tags.amenity ?? '') ?? 0, LEISURE_WEIGHTS.get(tags.leisure ?? '') ?? 0);
  if (
    tags.amenity === 'theatre' &&
    (CONCERT_THEATRE_TYPES.has(tags['theatre:type'] ?? '') || CONCERT_THEATRE_GENRES.has(tags['theatre:genre'] ?? ''))
  ) {
    weight = 1;
  }
  if (weight > 0 && tags.live_music === 'yes') weight = Math.min(1, weight + LIVE_MUSIC_BONUS);
  return weight;
}

/** A place of kind weight `weight` at this distance: the weight at 0 m, half of it at `radiusMeters`, towards 0 beyond. */
export function confidenceAtDistance(distanceMeters: number, radiusMeters: number, weight = 1): number {
  return weight / (1 + (distanceMeters / radiusMeters) ** 2);
}

/**
 * Plausible places, best first; places of no venue kind are left out. Confidence
 * depends on the distance alone, not on which search found the place, so
 * whatever a widened search adds (beyond `radiusMeters`) stays under half.
 */
export function rankVenueCandidates(places: readonly OsmPlace[], point: LatLon, radiusMeters: number): RankedVenue[] {
  const candidates = places.flatMap((place) => {
    const weight = venueKindWeight(place.tags);
    if (weight === 0) return [];
    const distance = distanceMeters(point, place);
    return [{ place, distanceMeters: distance, confidence: confidenceAtDistance(distance, radiusMeters, weight), rankDistance: distance / weight }];
  });
  candidates.sort((a, b) => a.rankDistance - b.rankDistance || a.place.osmId - b.place.osmId);
  return candidates.map(({ rankDistance: _unused, ...ranked }) => ranked);
}

/** The best venue near the point: searches `radiusMeters`, and `widenedRadiusMeters` once only when nothing plausible was there. */
export async function findVenue(
  client: VenueSearch,
  point: LatLon,
  options: { radiusMeters?: number; widenedRadiusMeters?: number } = {},
): Promise<RankedVenue | null> {
  const { radiusMeters = DEFAULT_RADIUS_METERS, widenedRadiusMeters = DEFAULT_WIDENED_RADIUS_METERS } = options;
  for (const searchRadius of [radiusMeters, widenedRadiusMeters]) {
    const places = await client.findVenuesAround(point.latitude, point.longitude, searchRadius);
    const best = rankVenueCandidates(places, point, radiusMeters)[0];
    if (best) return best;
  }
  return null;
}
