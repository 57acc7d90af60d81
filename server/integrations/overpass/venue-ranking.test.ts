import { describe, expect, it } from 'vitest';
import { distanceMeters, type LatLon } from '../../../shared/geo.js';
import type { OsmPlace } from './overpass-client.js';
import { findVenue, rankVenueCandidates, venueKindWeight, type VenueSearch } from './venue-ranking.js';

const PHOTOS: LatLon = { latitude: 52.3622, longitude: 4.8839 };

let nextId = 1;
/** A place `northMeters` north of the photos. */
function placeAt(northMeters: number, tags: Record<string, string>, name = `Place ${nextId}`): OsmPlace {
  const osmId = nextId++;
  return {
    osmType: 'way',
    osmId,
    name,
    latitude: PHOTOS.latitude + northMeters / 111_195,
    longitude: PHOTOS.longitude,
    tags: { name, ...tags },
    city: null,
    countryCode: null,
  };
}

describe('venueKindWeight', () => {
  it('rates music venues and concert halls highest, then clubs, theatres and arts centres, then stadiums and bandstands', () => {
    expect(venueKindWeight({ amenity: 'music_venue' })).toBe(1);
    expect(venueKindWeight({ amenity: 'concert_hall' })).toBe(1);
    expect(venueKindWeight({ amenity: 'nightclub' })).toBe(0.9);
    expect(venueKindWeight({ amenity: 'theatre' })).toBe(0.8);
    expect(venueKindWeight({ amenity: 'arts_centre' })).toBe(0.8);
    expect(venueKindWeight({ amenity: 'events_venue' })).toBe(0.8);
    expect(venueKindWeight({ leisure: 'stadium' })).toBe(0.7);
    expect(venueKindWeight({ leisure: 'bandstand' })).toBe(0.6);
  });

  it('counts a theatre tagged as a concert hall as a concert hall', () => {
    expect(venueKindWeight({ amenity: 'theatre', 'theatre:type': 'concert_hall' })).toBe(1);
    expect(venueKindWeight({ amenity: 'theatre', 'theatre:genre': 'philharmonic' })).toBe(1);
  });

  it('nudges places mapped with live_music=yes up a little, never past 1', () => {
    expect(venueKindWeight({ amenity: 'nightclub', live_music: 'yes' })).toBeCloseTo(0.95);
    expect(venueKindWeight({ amenity: 'music_venue', live_music: 'yes' })).toBe(1);
  });

  it('gives 0 to places that are no venue, live music or not', () => {
    expect(venueKindWeight({ amenity: 'pub', live_music: 'yes' })).toBe(0);
    expect(venueKindWeight({ shop: 'music' })).toBe(0);
  });
});

describe('rankVenueCandidates', () => {
  it('puts the nearest plausible place first even when a less likely kind is a little closer', () => {
    const theatre = placeAt(100, { amenity: 'theatre' });
    const venue = placeAt(110, { amenity: 'music_venue' });
    expect(rankVenueCandidates([theatre, venue], PHOTOS, 250).map((r) => r.place)).toEqual([venue, theatre]);
  });

  it('lets a closer theatre beat a music venue twice as far away', () => {
    const theatre = placeAt(100, { amenity: 'theatre' });
    const venue = placeAt(200, { amenity: 'music_venue' });
    expect(rankVenueCandidates([venue, theatre], PHOTOS, 250)[0]?.place).toBe(theatre);
  });

  it('reports the distance to each place in metres', () => {
    const venue = placeAt(120, { amenity: 'music_venue' });
    const [ranked] = rankVenueCandidates([venue], PHOTOS, 250);
    expect(ranked?.distanceMeters).toBeCloseTo(distanceMeters(PHOTOS, venue), 6);
    expect(ranked?.distanceMeters).toBeCloseTo(120, 0);
  });

  it('gives a confidence that starts at the kind weight, is halved at the search radius and falls towards 0 beyond', () => {
    const [onTop, atRadius, twiceAsFar] = rankVenueCandidates(
      [placeAt(0, { amenity: 'nightclub' }), placeAt(250, { amenity: 'nightclub' }), placeAt(500, { amenity: 'nightclub' })],
      PHOTOS,
      250,
    );
    expect(onTop?.confidence).toBeCloseTo(0.9);
    expect(atRadius?.confidence).toBeCloseTo(0.45, 2);
    expect(twiceAsFar?.confidence).toBeCloseTo(0.18, 2);
  });

  it('trusts a place less the farther it is, whichever search found it', async () => {
    const near = placeAt(240, { amenity: 'music_venue' });
    const far = placeAt(260, { amenity: 'music_venue' });
    const foundNear = await findVenue(mapWith([near]), PHOTOS);
    const foundFar = await findVenue(mapWith([far]), PHOTOS);
    expect(foundNear?.confidence).toBeGreaterThan(0.5);
    expect(foundFar?.confidence).toBeLessThan(0.5);
    expect(foundFar?.confidence).toBeLessThan(foundNear?.confidence ?? 0);
  });

  it('leaves out places that are no venue', () => {
    const pub = placeAt(10, { amenity: 'pub' });
    const venue = placeAt(80, { amenity: 'music_venue' });
    expect(rankVenueCandidates([pub, venue], PHOTOS, 250).map((r) => r.place)).toEqual([venue]);
  });

  it('orders equally good places by OSM id, so the same answer always picks the same venue', () => {
    const first = placeAt(50, { amenity: 'music_venue' });
    const second = placeAt(50, { amenity: 'music_venue' });
    expect(rankVenueCandidates([second, first], PHOTOS, 250).map((r) => r.place)).toEqual([first, second]);
  });

  it('returns nothing for nothing', () => {
    expect(rankVenueCandidates([], PHOTOS, 250)).toEqual([]);
  });
});

/** An in-memory map: answers like Overpass would for these places, and records each search radius. */
function mapWith(places: OsmPlace[]): VenueSearch & { radii: number[] } {
  const radii: number[] = [];
  return {
    radii,
    async findVenuesAround(latitude, longitude, radiusMeters) {
      radii.push(radiusMeters);
      return places.filter((place) => distanceMeters({ latitude, longitude }, place) <= radiusMeters);
    },
  };
}

describe('findVenue', () => {
  it('finds the venue within 250 m and does not search wider', async () => {
    const venue = placeAt(60, { amenity: 'music_venue' });
    const map = mapWith([venue, placeAt(600, { amenity: 'music_venue' })]);
    const found = await findVenue(map, PHOTOS);
    expect(found?.place).toBe(venue);
    expect(map.radii).toEqual([250]);
  });

  it('widens once to 800 m when nothing plausible is within 250 m', async () => {
    const far = placeAt(500, { leisure: 'stadium' });
    const map = mapWith([placeAt(30, { amenity: 'pub' }), far]);
    const found = await findVenue(map, PHOTOS);
    expect(found?.place).toBe(far);
    expect(found?.confidence).toBeGreaterThan(0);
    expect(map.radii).toEqual([250, 800]);
  });

  it('answers null after both searches come back empty', async () => {
    const map = mapWith([placeAt(2_000, { amenity: 'music_venue' })]);
    expect(await findVenue(map, PHOTOS)).toBeNull();
    expect(map.radii).toEqual([250, 800]);
  });

  it('uses the radii it is given', async () => {
    const map = mapWith([]);
    await findVenue(map, PHOTOS, { radiusMeters: 100, widenedRadiusMeters: 400 });
    expect(map.radii).toEqual([100, 400]);
  });
});
