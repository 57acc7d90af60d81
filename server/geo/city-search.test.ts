import { describe, expect, it } from 'vitest';
import { cityById, foldName, searchCities } from './city-search.js';

describe('searchCities', () => {
  it('finds cities by the start of their name, the most populous first', () => {
    const found = searchCities('amster', 10);
    expect(found[0]).toMatchObject({ geonameId: 2759794, city: 'Amsterdam', countryCode: 'NL' });
    expect(found.every((city) => foldName(city.city).startsWith('amster'))).toBe(true);
    expect(found.length).toBeLessThanOrEqual(10);
  });

  it('ignores case and accents', () => {
    expect(searchCities('ZUR', 5).map((city) => city.city)).toContain('Zürich');
    expect(searchCities('zür', 5)[0]?.city).toBe('Zürich');
  });

  it('finds nothing for an empty or unknown prefix', () => {
    expect(searchCities('   ', 10)).toEqual([]);
    expect(searchCities('qqqxz', 10)).toEqual([]);
  });
});

describe('cityById', () => {
  it('gives a city with its position from the list', () => {
    expect(cityById(2643743)).toMatchObject({ city: 'London', countryCode: 'GB', latitude: 51.50853, longitude: -0.12574 });
    expect(cityById(1)).toBeNull();
  });
});
