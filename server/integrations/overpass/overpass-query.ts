/**
 * The Overpass QL we send: every named place around a point that OpenStreetMap
 * tags as somewhere live music happens. One statement per key, each with an
 * anchored value regex: Overpass matches a `~` regex anywhere in the value, so
 * without ^…$ "theatre" would also match values that merely contain it.
 */
import type { LatLon } from '../../../shared/geo.js';

/** OSM keys and values of the places a concert can be at (amenity=theatre also covers theatre:type=concert_hall). */
export const VENUE_TAG_VALUES = {
  amenity: ['music_venue', 'concert_hall', 'theatre', 'nightclub', 'arts_centre', 'events_venue'],
  leisure: ['stadium', 'bandstand'],
} as const;

/** Seconds the server may work on the query before it answers with a "runtime error" remark. */
export const QUERY_TIMEOUT_SECONDS = 25;

/** Six decimals of a degree is about 10 cm, well below GPS accuracy. */
const COORDINATE_DECIMALS = 6;

export function buildVenuesAroundQuery(center: LatLon, radiusMeters: number): string {
  const { latitude, longitude } = center;
  if (!Number.isFinite(latitude) || Math.abs(latitude) > 90) throw new RangeError(`latitude out of range: ${latitude}`);
  if (!Number.isFinite(longitude) || Math.abs(longitude) > 180) throw new RangeError(`longitude out of range: ${longitude}`);
  if (!Number.isFinite(radiusMeters) || radiusMeters <= 0) throw new RangeError(`radius must be a positive number of metres: ${radiusMeters}`);

  const around = `around:${Math.max(1, Math.round(radiusMeters))},${latitude.toFixed(COORDINATE_DECIMALS)},${longitude.toFixed(COORDINATE_DECIMALS)}`;
  const statements = Object.entries(VENUE_TAG_VALUES).map(([key, values]) => `nwr(${around})["name"]["${key}"~"^(${values.join('|')})$"];`);
  return `[out:json][timeout:${QUERY_TIMEOUT_SECONDS}];(${statements.join('')});out center tags;`;
}
