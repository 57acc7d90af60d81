/**
 * The map and travel figures of the stats (issue 19), from the user's concerts
 * grouped by (venue, year) and the first year of each (city, country). Pure: the
 * server computes them, the tests check them by hand.
 */
import { distanceMeters, type LatLon } from './geo.js';

/** The concerts of one year at one venue (a venue always has a position). */
export interface VenueYear {
  venueId: number;
  name: string;
  city: string | null;
  countryCode: string | null;
  latitude: number;
  longitude: number;
  year: number;
  count: number;
  /** The first concert there that year, `yyyy-mm-dd`. */
  firstDate: string;
}

/** Great-circle distance in kilometres (haversine, Earth radius 6,371.0088 km). */
export function distanceKm(a: LatLon, b: LatLon): number {
  return distanceMeters(a, b) / 1000;
}

/** Kilometres to one decimal, the precision every figure is shown and compared at. */
const roundKm = (km: number) => Math.round(km * 10) / 10;

/** Every venue once, with its concerts: the circles of the map, most visited first. */
export function mapVenues(visits: readonly VenueYear[]) {
  const byVenue = new Map<number, Omit<VenueYear, 'year' | 'firstDate' | 'venueId'> & { id: number }>();
  for (const { venueId, year: _year, firstDate: _first, ...venue } of visits) {
    const seen = byVenue.get(venueId);
    if (seen) seen.count += venue.count;
    else byVenue.set(venueId, { id: venueId, ...venue });
  }
  return [...byVenue.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name) || a.id - b.id);
}

/**
 * How far the user went from home: one way to each concert's venue, summed over
 * every concert, per year, and the farthest show (its first concert at the farthest venue).
 */
export function travelFrom(home: LatLon, visits: readonly VenueYear[]) {
  let totalKm = 0;
  const perYear = new Map<number, { km: number; concerts: number }>();
  let farthest: { venueId: number; name: string; city: string | null; countryCode: string | null; concertDate: string; km: number } | null = null;
  for (const visit of visits) {
    const km = distanceKm(home, visit);
    totalKm += km * visit.count;
    const year = perYear.get(visit.year) ?? { km: 0, concerts: 0 };
    year.km += km * visit.count;
    year.concerts += visit.count;
    perYear.set(visit.year, year);
    const fartherOrEarlier = !farthest || km > farthest.km || (km === farthest.km && visit.firstDate < farthest.concertDate);
    if (fartherOrEarlier) {
      farthest = { venueId: visit.venueId, name: visit.name, city: visit.city, countryCode: visit.countryCode, concertDate: visit.firstDate, km };
    }
  }
  return {
    totalKm: roundKm(totalKm),
    perYear: [...perYear].map(([year, { km, concerts }]) => ({ year, km: roundKm(km), concerts })).sort((a, b) => a.year - b.year),
    farthest: farthest && { ...farthest, km: roundKm(farthest.km) },
  };
}

/**
 * New cities and countries per year: a place counts in the year of the user's first
 * concert there. Cities are told apart by (name, country); a concert without a known
 * city still opens its country.
 */
export function newPlacesPerYear(places: ReadonlyArray<{ city: string | null; countryCode: string | null; firstYear: number }>) {
  const countryFirst = new Map<string, number>();
  const years = new Map<number, { cities: number; countries: number }>();
  const yearOf = (year: number) => {
    const row = years.get(year) ?? { cities: 0, countries: 0 };
    years.set(year, row);
    return row;
  };
  for (const place of places) {
    if (place.city !== null) yearOf(place.firstYear).cities += 1;
    if (place.countryCode !== null) {
      const first = countryFirst.get(place.countryCode);
      if (first === undefined || place.firstYear < first) countryFirst.set(place.countryCode, place.firstYear);
    }
  }
  for (const year of countryFirst.values()) yearOf(year).countries += 1;
  return [...years]
    .map(([year, row]) => ({ year, ...row }))
    .filter((row) => row.cities > 0 || row.countries > 0)
    .sort((a, b) => a.year - b.year);
}
