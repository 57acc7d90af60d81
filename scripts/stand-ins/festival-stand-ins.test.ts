import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reverseGeocode } from '../../server/geo/reverse-geocoder.js';
import type { OsmPlace } from '../../server/integrations/overpass/overpass-client.js';
import { buildVenuesAroundQuery } from '../../server/integrations/overpass/overpass-query.js';
import { findVenue } from '../../server/integrations/overpass/venue-ranking.js';
import { pickVenue } from '../../server/integrations/setlistfm/concert-facts.js';
import type { SetlistFmSetlist, SetlistFmVenue } from '../../server/integrations/setlistfm/setlistfm.schemas.js';
import { generateDemoLibrary } from '../demo-library/generate.js';
import type { DemoFestival, DemoLibraryManifest } from '../demo-library/manifest.js';
import { FESTIVAL_SITE_PLACES, startOverpassStandIn } from './overpass-stand-in.js';
import { startSetlistFmStandIn, type SetlistFmStandIn } from './setlistfm-stand-in.js';

const API_KEY = 'festival-test-key';
/** GeoNames' Amsterdam, which setlist.fm's cities are. */
const AMSTERDAM = '2759794';
const MBID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let dir: string;
let manifest: DemoLibraryManifest;
let festival: DemoFestival;
let setlistfm: SetlistFmStandIn;
let overpass: Awaited<ReturnType<typeof startOverpassStandIn>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'festival-stand-ins-'));
  manifest = await generateDemoLibrary(dir, { concerts: 1, photosPerConcert: 4, festival: true });
  festival = manifest.festivals[0]!;
  setlistfm = await startSetlistFmStandIn({ manifest, apiKey: API_KEY, faults: { rateLimitPerSecond: 1_000 } });
  overpass = await startOverpassStandIn();
}, 180_000);

afterAll(async () => {
  await Promise.all([setlistfm?.close(), overpass?.close()]);
  await rm(dir, { recursive: true, force: true });
});

async function get<T>(path: string, query: Record<string, string>): Promise<{ status: number; body: T }> {
  const response = await fetch(`${setlistfm.url}${path}?${new URLSearchParams(query)}`, {
    headers: { 'x-api-key': API_KEY, accept: 'application/json' },
  });
  return { status: response.status, body: (await response.json()) as T };
}

const venues = (query: Record<string, string>) => get<{ venue: SetlistFmVenue[]; total: number }>('/search/venues', query);
const setlists = (query: Record<string, string>) => get<{ setlist: SetlistFmSetlist[]; total: number }>('/search/setlists', query);

describe('the setlist.fm stand-in at the demo festival', () => {
  it('has a venue per stage named "<stage>, Flevopark" in Amsterdam, and none named just "Flevopark"', async () => {
    expect(reverseGeocode(festival.site.latitude, festival.site.longitude)?.geonameId).toBe(Number(AMSTERDAM));
    const byCity = await venues({ name: 'Flevopark', cityId: AMSTERDAM });
    expect(byCity.status).toBe(200);
    expect(byCity.body.venue.map((venue) => venue.name)).toEqual(['Main Stage, Flevopark', 'Meadow Stage, Flevopark']);
    for (const venue of byCity.body.venue) {
      expect(venue).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}$/),
        name: venue.name,
        url: expect.stringMatching(/^https:\/\/www\.setlist\.fm\/venue\/[a-z0-9-]+-amsterdam-netherlands-[0-9a-f]{8}\.html$/),
        city: {
          id: AMSTERDAM,
          name: 'Amsterdam',
          state: 'North Holland',
          stateCode: '07',
          coords: { lat: expect.any(Number), long: expect.any(Number) },
          country: { code: 'NL', name: 'Netherlands' },
        },
      });
    }
    const byCountry = await venues({ name: 'Flevopark', country: 'NL' });
    expect(byCountry.body.venue.map((venue) => venue.name)).toEqual(['Main Stage, Flevopark', 'Meadow Stage, Flevopark']);
    expect(setlistfm.catalog.venues.filter((venue) => /^flevopark$/i.test(venue.name))).toEqual([]);
  });

  it('lets the server map the site found in OpenStreetMap to a stage: the main stage', async () => {
    const { body } = await venues({ name: 'Flevopark', cityId: AMSTERDAM });
    const picked = pickVenue(body.venue, { name: 'Flevopark', latitude: festival.site.latitude, longitude: festival.site.longitude });
    expect(picked?.name).toBe('Main Stage, Flevopark');
  });

  it("answers a stage and day with that stage's acts, in setlist.fm's shape and without set times or tour", async () => {
    const { body: found } = await venues({ name: 'Flevopark', cityId: AMSTERDAM });
    for (const day of festival.days) {
      const date = day.localDate.split('-').reverse().join('-');
      for (const stage of festival.stages) {
        const venue = found.venue.find((v) => v.name === `${stage.name}, Flevopark`)!;
        const { status, body } = await setlists({ venueId: venue.id, date });
        expect(status).toBe(200);
        const acts = day.acts.filter((act) => act.stage === stage.name);
        expect(body.setlist.map((s) => s.artist.name)).toEqual(acts.map((act) => act.artist));
        for (const setlist of body.setlist) {
          const act = acts.find((a) => a.artist === setlist.artist.name)!;
          expect(Object.keys(setlist).sort()).toEqual(['artist', 'eventDate', 'id', 'lastUpdated', 'sets', 'url', 'venue', 'versionId']);
          expect(setlist.eventDate).toBe(date);
          expect(setlist.id).toMatch(/^[0-9a-f]{8}$/);
          expect(setlist.url).toMatch(/^https:\/\/www\.setlist\.fm\/setlist\/[a-z0-9-]+\/2023\/[a-z0-9-]+-[0-9a-f]{8}\.html$/);
          expect(setlist.artist).toEqual({
            mbid: expect.stringMatching(MBID),
            name: act.artist,
            sortName: expect.any(String),
            url: expect.any(String),
          });
          expect(setlist.venue).toEqual(venue);
          const songs = setlist.sets.set.flatMap((set) => set.song);
          expect(songs.map((song) => song.name)).toEqual(act.setlist.flatMap((set) => set.songs.map((song) => song.name)));
          expect(songs.length).toBeGreaterThanOrEqual(6);
          expect(songs.length).toBeLessThanOrEqual(14);
        }
      }
    }
  });

  it("answers the city and day with both stages' acts, and nothing on a day without the festival", async () => {
    for (const day of festival.days) {
      const { body } = await setlists({ cityId: AMSTERDAM, date: day.localDate.split('-').reverse().join('-') });
      expect(body.total).toBe(5);
      expect(body.setlist.map((s) => s.artist.name).sort()).toEqual(day.acts.map((act) => act.artist).sort());
      expect(new Set(body.setlist.map((s) => s.venue.name))).toEqual(new Set(['Main Stage, Flevopark', 'Meadow Stage, Flevopark']));
    }
    expect((await setlists({ cityId: AMSTERDAM, date: '23-07-2023' })).status).toBe(404);
  });

  it('knows every act as an artist with a MusicBrainz id', async () => {
    for (const act of festival.days.flatMap((day) => day.acts)) {
      const { body } = await get<{ artist: { name: string; mbid: string }[] }>('/search/artists', { artistName: act.artist });
      expect(body.artist.find((artist) => artist.name === act.artist)?.mbid, act.artist).toMatch(MBID);
    }
  });
});

describe('the Overpass stand-in at the demo festival', () => {
  /** What OverpassClient.findVenuesAround does, without its throttle and cache. */
  const search = {
    async findVenuesAround(latitude: number, longitude: number, radiusMeters: number): Promise<OsmPlace[]> {
      const response = await fetch(overpass.url, {
        method: 'POST',
        headers: { 'user-agent': 'concert-history-test/1.0', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ data: buildVenuesAroundQuery({ latitude, longitude }, radiusMeters) }),
      });
      const { elements } = (await response.json()) as {
        elements: {
          type: OsmPlace['osmType'];
          id: number;
          lat?: number;
          lon?: number;
          center?: { lat: number; lon: number };
          tags: Record<string, string>;
        }[];
      };
      return elements.map((element) => ({
        osmType: element.type,
        osmId: element.id,
        name: element.tags.name!,
        latitude: element.center?.lat ?? element.lat!,
        longitude: element.center?.lon ?? element.lon!,
        tags: element.tags,
        city: element.tags['addr:city'] ?? null,
        countryCode: element.tags['addr:country'] ?? null,
      }));
    },
  };

  it('finds the site, Flevopark, as the one venue for the photos at either stage', async () => {
    const photos = manifest.photos.filter((photo) => photo.festivalId !== null && photo.latitude !== null);
    const stages = new Set<string>();
    for (const photo of photos) {
      const act = festival.days.flatMap((day) => day.acts).find((a) => a.id === photo.concertId)!;
      stages.add(act.stage);
      const point = { latitude: photo.latitude!, longitude: photo.longitude! };
      const around = await search.findVenuesAround(point.latitude, point.longitude, 250);
      expect(
        around.map((place) => place.name),
        photo.path,
      ).toEqual(['Flevopark']);
      const best = await findVenue(search, point);
      expect(best?.place).toMatchObject({
        osmType: 'way',
        osmId: FESTIVAL_SITE_PLACES.flevopark.osmId,
        name: 'Flevopark',
        city: 'Amsterdam',
        countryCode: 'NL',
      });
    }
    expect([...stages].sort()).toEqual(['Main Stage', 'Meadow Stage']);
  });
});
