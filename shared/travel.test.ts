import { describe, expect, it } from 'vitest';
import { distanceKm, mapVenues, newPlacesPerYear, travelFrom, type VenueYear } from './travel.js';

/*
 * Expected distances were computed by hand with the haversine formula in Python's
 * `math` module (R = 6371.0088 km), independently of this code:
 *   2 * R * asin(sqrt(sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2)))
 * and rounded to 0.1 km.
 */
const AMSTERDAM = { latitude: 52.3676, longitude: 4.9041 };
const LONDON = { latitude: 51.5072, longitude: -0.1276 };
const SAN_FRANCISCO = { latitude: 37.7749, longitude: -122.4194 };
const SYDNEY = { latitude: -33.8688, longitude: 151.2093 };

const visit = (
  venueId: number,
  name: string,
  at: { latitude: number; longitude: number },
  year: number,
  count: number,
  firstDate: string,
): VenueYear => ({
  venueId,
  name,
  city: name,
  countryCode: null,
  ...at,
  year,
  count,
  firstDate,
});

describe('distanceKm', () => {
  it('matches hand-computed great-circle distances', () => {
    expect(distanceKm(AMSTERDAM, LONDON)).toBeCloseTo(357.9, 1);
    expect(distanceKm(AMSTERDAM, SAN_FRANCISCO)).toBeCloseTo(8773.5, 1);
    expect(distanceKm(AMSTERDAM, SYDNEY)).toBeCloseTo(16642.9, 1);
    expect(distanceKm(AMSTERDAM, AMSTERDAM)).toBe(0);
  });
});

describe('travelFrom', () => {
  const visits = [
    visit(1, 'London', LONDON, 2019, 2, '2019-03-01'),
    visit(2, 'San Francisco', SAN_FRANCISCO, 2019, 1, '2019-07-04'),
    visit(1, 'London', LONDON, 2021, 1, '2021-05-05'),
    visit(3, 'Amsterdam', AMSTERDAM, 2021, 4, '2021-01-10'),
  ];

  it('sums one way per concert, in total and per year', () => {
    const travel = travelFrom(AMSTERDAM, visits);
    // 2019: 2 × 357.88 + 8773.50 = 9489.26; 2021: 357.88 + 4 × 0 = 357.88.
    expect(travel.perYear).toEqual([
      { year: 2019, km: 9489.3, concerts: 3 },
      { year: 2021, km: 357.9, concerts: 5 },
    ]);
    // 3 × 357.88 + 8773.50 = 9847.14.
    expect(travel.totalKm).toBe(9847.1);
  });

  it('names the farthest show: its venue, its first date there and the distance', () => {
    expect(travelFrom(AMSTERDAM, visits).farthest).toEqual({
      venueId: 2,
      name: 'San Francisco',
      city: 'San Francisco',
      countryCode: null,
      concertDate: '2019-07-04',
      km: 8773.5,
    });
  });

  it('has nothing to say without concerts', () => {
    expect(travelFrom(AMSTERDAM, [])).toEqual({ totalKm: 0, perYear: [], farthest: null });
  });
});

describe('mapVenues', () => {
  it('gives each venue once with all its concerts, most visited first', () => {
    const venues = mapVenues([
      visit(1, 'London', LONDON, 2019, 2, '2019-03-01'),
      visit(2, 'San Francisco', SAN_FRANCISCO, 2019, 1, '2019-07-04'),
      visit(1, 'London', LONDON, 2021, 2, '2021-05-05'),
    ]);
    expect(venues.map((venue) => [venue.id, venue.count])).toEqual([
      [1, 4],
      [2, 1],
    ]);
    expect(venues[0]).toMatchObject({ name: 'London', latitude: LONDON.latitude, longitude: LONDON.longitude });
  });
});

describe('newPlacesPerYear', () => {
  it('counts a city and a country in the year of the first concert there', () => {
    expect(
      newPlacesPerYear([
        { city: 'Amsterdam', countryCode: 'NL', firstYear: 2018 },
        { city: 'Utrecht', countryCode: 'NL', firstYear: 2020 },
        { city: 'London', countryCode: 'GB', firstYear: 2020 },
        // Same name, other country: another city.
        { city: 'London', countryCode: 'CA', firstYear: 2022 },
        // City unknown: the country still counts.
        { city: null, countryCode: 'BE', firstYear: 2022 },
        { city: null, countryCode: null, firstYear: 2023 },
      ]),
    ).toEqual([
      { year: 2018, cities: 1, countries: 1 },
      { year: 2020, cities: 2, countries: 1 },
      { year: 2022, cities: 1, countries: 2 },
    ]);
  });
});
