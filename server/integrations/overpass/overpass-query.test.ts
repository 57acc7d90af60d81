import { describe, expect, it } from 'vitest';
import { buildVenuesAroundQuery } from './overpass-query.js';

describe('buildVenuesAroundQuery', () => {
  it('asks for named music places of every venue kind around the point, with centers for ways and relations', () => {
    expect(buildVenuesAroundQuery({ latitude: 52.3622, longitude: 4.8839 }, 250)).toBe(
      '[out:json][timeout:25];(' +
        'nwr(around:250,52.362200,4.883900)["name"]["amenity"~"^(music_venue|concert_hall|theatre|nightclub|arts_centre|events_venue)$"];' +
        'nwr(around:250,52.362200,4.883900)["name"]["leisure"~"^(stadium|bandstand)$"];' +
        ');out center tags;',
    );
  });

  it('writes coordinates with six decimals and the radius in whole metres', () => {
    const query = buildVenuesAroundQuery({ latitude: -33.89961234567, longitude: -0.1 }, 799.6);
    expect(query).toContain('(around:800,-33.899612,-0.100000)');
    expect(query).not.toContain('e-');
  });

  it('gives the same text for the same search, so answers can be cached by it', () => {
    const point = { latitude: 40.7204, longitude: -73.9937 };
    expect(buildVenuesAroundQuery(point, 250)).toBe(buildVenuesAroundQuery({ ...point }, 250));
  });

  it('refuses positions off the globe and radii that are not positive', () => {
    expect(() => buildVenuesAroundQuery({ latitude: 91, longitude: 0 }, 250)).toThrow(RangeError);
    expect(() => buildVenuesAroundQuery({ latitude: 0, longitude: -180.5 }, 250)).toThrow(RangeError);
    expect(() => buildVenuesAroundQuery({ latitude: Number.NaN, longitude: 0 }, 250)).toThrow(RangeError);
    expect(() => buildVenuesAroundQuery({ latitude: 0, longitude: 0 }, 0)).toThrow(RangeError);
    expect(() => buildVenuesAroundQuery({ latitude: 0, longitude: 0 }, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
