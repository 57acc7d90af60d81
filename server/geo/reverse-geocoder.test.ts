import { describe, expect, it } from 'vitest';
import { VENUES } from '../../scripts/demo-library/venues.js';
import { reverseGeocode } from './reverse-geocoder.js';

describe('reverseGeocode (GeoNames cities1000, offline)', () => {
  it('names the city a venue is known by, not the district it stands in', () => {
    const found = Object.values(VENUES).map((v) => {
      const place = reverseGeocode(v.latitude, v.longitude);
      return `${place?.city}/${place?.countryCode}`;
    });
    expect(found).toEqual([
      'Amsterdam/NL',
      'London/GB',
      'San Francisco/US',
      'Berlin/DE',
      'New York City/US',
      'Copenhagen/DK',
      'Paris/FR',
      'Minneapolis/US',
      'Sydney/AU',
    ]);
  });

  it('gives the GeoNames id, which setlist.fm uses as its city id', () => {
    expect(reverseGeocode(52.3622, 4.8839)?.geonameId).toBe(2759794);
  });

  it('finds the nearest town far from cities, and nothing in the open ocean', () => {
    expect(reverseGeocode(64.1466, -21.9426)?.countryCode).toBe('IS');
    expect(reverseGeocode(-40, -140)).toBeNull();
  });
});
