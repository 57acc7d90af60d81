import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonCache } from '../../server/cache/json-cache.js';
import { reverseGeocode } from '../../server/geo/reverse-geocoder.js';
import { concertFactsFrom, pickVenue } from '../../server/integrations/setlistfm/concert-facts.js';
import { SetlistFmClient } from '../../server/integrations/setlistfm/setlistfm-client.js';
import { createUpstreamFetch, UpstreamError } from '../../server/integrations/upstream-fetch.js';
import { createGlobalThrottle } from '../../server/rate-limit/global-throttle.js';
import { generateDemoLibrary } from '../../scripts/demo-library/generate.js';
import type { DemoConcert, DemoLibraryManifest } from '../../scripts/demo-library/manifest.js';
import { startSetlistFmStandIn, type SetlistFmStandIn, type SetlistFmStandInOptions } from '../../scripts/stand-ins/setlistfm-stand-in.js';
import { testConfig } from '../support/test-env.js';

const API_KEY = 'test-api-key-0123456789';
const config = testConfig();
const redis = new Redis(config.redis.url);
const runPrefix = `${config.redis.keyPrefix}-setlistfm-${Date.now()}`;
let prefixes = 0;

let libraryDir: string;
let manifest: DemoLibraryManifest;
const standIns: SetlistFmStandIn[] = [];

beforeAll(async () => {
  libraryDir = await mkdtemp(join(tmpdir(), 'ch-setlistfm-'));
  manifest = await generateDemoLibrary(libraryDir, { concerts: 10, photosPerConcert: 4 });
}, 240_000);

afterAll(async () => {
  await Promise.all(standIns.map((standIn) => standIn.close()));
  await rm(libraryDir, { recursive: true, force: true });
  await redis.quit();
});

async function standIn(faults: SetlistFmStandInOptions['faults'] = { rateLimitPerSecond: 1_000 }): Promise<SetlistFmStandIn> {
  const started = await startSetlistFmStandIn({ manifest, apiKey: API_KEY, faults });
  standIns.push(started);
  return started;
}

/** A client with its own cache and throttle keys; a high burst keeps tests quick unless `throttle` says otherwise. */
function client(
  baseUrl: string,
  options: { apiKey?: string; throttle?: { refillPerSecond: number; burst: number }; attempts?: number; baseDelayMs?: number } = {},
) {
  prefixes += 1;
  const keyPrefix = `${runPrefix}-${prefixes}`;
  const throttle = createGlobalThrottle(redis, { service: 'setlistfm', keyPrefix, ...(options.throttle ?? { refillPerSecond: 100, burst: 100 }) });
  const upstreamFetch = createUpstreamFetch({
    service: 'setlist.fm',
    throttle,
    attempts: options.attempts ?? 4,
    baseDelayMs: options.baseDelayMs ?? 20,
  });
  return new SetlistFmClient({ baseUrl, apiKey: options.apiKey ?? API_KEY, upstreamFetch, cache: new JsonCache(redis, keyPrefix) });
}

const venueOf = (concert: DemoConcert) => ({ name: concert.venue.name, latitude: concert.venue.latitude, longitude: concert.venue.longitude });

describe('setlist.fm client against the stand-in', () => {
  it('finds every demo venue by name in its city, among look-alikes', async () => {
    const api = client((await standIn()).url);
    const seen = new Set<string>();
    for (const concert of manifest.concerts) {
      if (seen.has(concert.venue.key)) continue;
      seen.add(concert.venue.key);
      const city = reverseGeocode(concert.venue.latitude, concert.venue.longitude)!;
      const page = await api.searchVenues({ name: concert.venue.name, cityId: city.geonameId });
      const picked = pickVenue(page.venue, venueOf(concert));
      expect(picked?.name, concert.venue.name).toBe(concert.venue.name);
      expect(picked?.city?.id).toBe(String(city.geonameId));
      expect(picked?.id).toMatch(/^[0-9a-f]{8}$/);
    }
    expect(seen.size).toBe(9);
  });

  it('chooses the venue by name when its city has look-alikes, and by distance when other cities share the name', async () => {
    const api = client((await standIn()).url);
    const paradiso = manifest.concerts.find((c) => c.venue.key === 'paradiso')!;
    const amsterdam = await api.searchVenues({ name: 'Paradiso', cityName: 'Amsterdam', countryCode: 'NL' });
    expect(amsterdam.venue.map((v) => v.name).sort()).toEqual(['Paradiso', 'Paradiso Noord']);
    expect(pickVenue(amsterdam.venue, venueOf(paradiso))?.name).toBe('Paradiso');

    const fillmore = manifest.concerts.find((c) => c.venue.key === 'fillmore')!;
    const everywhere = await api.searchVenues({ name: 'The Fillmore' });
    expect(new Set(everywhere.venue.map((v) => v.city?.name))).toEqual(new Set(['San Francisco', 'Charlotte', 'Detroit', 'Denver']));
    expect(pickVenue(everywhere.venue, venueOf(fillmore))?.city?.name).toBe('San Francisco');

    const olympia = manifest.concerts.find((c) => c.venue.key === 'olympia')!;
    const dublin = await api.searchVenues({ name: 'Olympia', countryCode: 'IE' });
    expect(dublin.venue.map((v) => v.name)).toEqual(['Olympia Theatre']);
    expect(pickVenue(dublin.venue, venueOf(olympia))).toBeNull();
  });

  it('gives the headliner, supporting acts, tour and songs of an evening from the setlists at its venue and date', async () => {
    const stand = await standIn();
    const api = client(stand.url);
    const concert = manifest.concerts.find((c) => c.supportingActs.length > 1)!;
    const city = reverseGeocode(concert.venue.latitude, concert.venue.longitude)!;
    const venue = pickVenue((await api.searchVenues({ name: concert.venue.name, cityId: city.geonameId })).venue, venueOf(concert))!;

    const evening = await api.allSetlists({ venueId: venue.id, date: concert.localDate });
    expect(evening.complete).toBe(true);
    expect(evening.setlists).toHaveLength(concert.supportingActs.length + 1);
    expect(evening.setlists.some((s) => s.sets.set.length === 0)).toBe(true);
    expect(stand.requests.at(-1)?.query).toMatchObject({ venueId: venue.id, date: concert.localDate.split('-').reverse().join('-') });

    const facts = concertFactsFrom(evening.setlists);
    expect(facts?.headliner.name).toBe(concert.artist);
    expect(facts?.headliner.mbid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(facts?.supportingActs.map((act) => act.name).sort()).toEqual(concert.supportingActs.map((act) => act.name).sort());
    expect(facts?.tour).toBe(concert.tour);
    expect(facts?.setlist).toEqual(concert.setlist);
    expect(facts?.url).toContain(facts?.setlistfmId);

    // The same setlist by its id.
    const single = await api.setlist(facts!.setlistfmId);
    expect(single?.artist.name).toBe(concert.artist);
  });

  it('keeps tape songs marked and covers attributed', async () => {
    const api = client((await standIn()).url);
    const withTape = manifest.concerts.find((c) => c.setlist.some((set) => set.songs.some((song) => song.tape)))!;
    const withCover = manifest.concerts.find((c) => c.setlist.some((set) => set.songs.some((song) => song.coverOf)))!;
    for (const concert of [withTape, withCover]) {
      const city = reverseGeocode(concert.venue.latitude, concert.venue.longitude)!;
      const { setlists } = await api.allSetlists({ cityId: city.geonameId, date: concert.localDate });
      const atVenue = setlists.filter((s) => s.venue.name === concert.venue.name);
      // The city had another show that evening.
      expect(setlists.length).toBeGreaterThan(atVenue.length);
      expect(concertFactsFrom(atVenue)?.setlist).toEqual(concert.setlist);
    }
  });

  it('answers a search that finds nothing (a 404) with an empty page', async () => {
    const stand = await standIn();
    const api = client(stand.url);
    const page = await api.searchSetlists({ artistName: 'Nobody Played Here', date: '1999-01-01' });
    expect(page).toEqual({ setlist: [], total: 0, page: 1, itemsPerPage: 20 });
    expect(stand.requests.at(-1)?.status).toBe(404);
    expect(await api.setlist('0badc0de')).toBeNull();
  });

  it('fails for good, naming the key, when setlist.fm refuses the API key', async () => {
    const stand = await standIn();
    const error = await client(stand.url, { apiKey: 'wrong' })
      .searchArtists({ artistName: 'Hollow' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 403, transient: false });
    expect((error as Error).message).toMatch(/API key was refused/);
    expect(stand.requests).toHaveLength(1);
  });

  it('fails for good, naming the field, on an answer that is not the API 1.0 shape', async () => {
    const answering = (body: string) => {
      prefixes += 1;
      const keyPrefix = `${runPrefix}-${prefixes}`;
      const throttle = createGlobalThrottle(redis, { service: 'setlistfm', keyPrefix, refillPerSecond: 100, burst: 100 });
      const fetch = async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
      const upstreamFetch = createUpstreamFetch({ service: 'setlist.fm', throttle, fetch });
      return new SetlistFmClient({
        baseUrl: 'http://setlistfm.invalid/rest/1.0',
        apiKey: API_KEY,
        upstreamFetch,
        cache: new JsonCache(redis, keyPrefix),
      });
    };
    const wrongShape = await answering('{"setlist":[{"id":"1","eventDate":"2019-07-05"}],"total":1,"page":1,"itemsPerPage":20}')
      .searchSetlists({ date: '2019-07-05' })
      .catch((e: unknown) => e);
    expect(wrongShape).toMatchObject({ name: 'UpstreamError', transient: false });
    expect((wrongShape as Error).message).toMatch(/setlist\.0\.eventDate/);
    const notJson = await answering('<setlists/>')
      .searchArtists({ artistName: 'x' })
      .catch((e: unknown) => e);
    expect(notJson).toMatchObject({ name: 'UpstreamError', transient: false });
    expect((notJson as Error).message).toMatch(/not JSON/);
  });

  it('retries a 429 or a 503 and then succeeds', async () => {
    const stand = await standIn({ rateLimitPerSecond: 1_000, failNext: [429, 503] });
    const page = await client(stand.url).searchArtists({ artistName: 'Hollow Meridian' });
    expect(page.artist.map((a) => a.name)).toEqual(['Hollow Meridian']);
    expect(stand.requests.map((r) => r.status)).toEqual([429, 503, 200]);
  });

  it('rides out the real rate limit (2 a second, 429 without Retry-After) by backing off', async () => {
    const stand = await standIn({ rateLimitPerSecond: 2 });
    const api = client(stand.url, { attempts: 6, baseDelayMs: 1_000 });
    const names = ['Hollow', 'Copper', 'Juniper'];
    const pages = await Promise.all(names.map((artistName) => api.searchArtists({ artistName })));
    expect(pages.every((page) => page.artist.length > 0)).toBe(true);
    const statuses = stand.requests.map((r) => r.status);
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
  });

  it('serves repeated searches from the Redis cache, to every client on the same keys', async () => {
    const stand = await standIn();
    const keyPrefix = `${runPrefix}-shared-cache`;
    const make = () => {
      const throttle = createGlobalThrottle(redis, { service: 'setlistfm', keyPrefix, refillPerSecond: 100, burst: 100 });
      const upstreamFetch = createUpstreamFetch({ service: 'setlist.fm', throttle, baseDelayMs: 20 });
      return new SetlistFmClient({ baseUrl: stand.url, apiKey: API_KEY, upstreamFetch, cache: new JsonCache(redis, keyPrefix) });
    };
    const first = make();
    const concert = manifest.concerts[0]!;
    const search = { artistName: concert.artist, date: concert.localDate };
    const answer = await first.searchSetlists(search);
    await first.searchSetlists({ date: concert.localDate, artistName: `  ${concert.artist} `, page: 1 });
    const nothing = await first.searchSetlists({ artistName: 'Nobody', date: concert.localDate });
    const logged = stand.requests.length;
    expect(logged).toBe(2);

    const second = make();
    expect(await second.searchSetlists(search)).toEqual(answer);
    expect(await second.searchSetlists({ artistName: 'Nobody', date: concert.localDate })).toEqual(nothing);
    expect(stand.requests).toHaveLength(logged);
    const cached = await redis.keys(`${keyPrefix}:cache:setlistfm:*`);
    expect(cached).toHaveLength(2);
    expect(await redis.ttl(cached[0]!)).toBeGreaterThan(3_500);
  });

  it('pages through an artist search of more than 20 results', async () => {
    const api = client((await standIn()).url);
    const first = await api.searchArtists({ artistName: 'e' });
    expect(first.total).toBeGreaterThan(20);
    expect(first.artist).toHaveLength(20);
    const pages = Math.ceil(first.total / first.itemsPerPage);
    const names = [...first.artist.map((a) => a.name)];
    for (let page = 2; page <= pages; page++) {
      const next = await api.searchArtists({ artistName: 'e', page });
      expect(next.page).toBe(page);
      names.push(...next.artist.map((a) => a.name));
    }
    expect(names).toHaveLength(first.total);
    expect(new Set(names).size).toBe(first.total);
    const beyond = await api.searchArtists({ artistName: 'e', page: pages + 1 });
    expect(beyond.artist).toEqual([]);
  });

  it('walks setlist pages up to the cap, and says when it stopped early', async () => {
    const stand = await standIn();
    const api = client(stand.url);
    const total = stand.catalog.setlists.length;
    expect(total).toBeGreaterThan(40);
    // No filter: every setlist the stand-in knows.
    const capped = await api.allSetlists({}, 2);
    const all = await api.allSetlists({}, 10);
    expect(all.complete).toBe(true);
    expect(all.setlists).toHaveLength(all.total);
    expect(all.total).toBe(total);
    expect(capped).toMatchObject({ total, complete: false });
    expect(capped.setlists).toEqual(all.setlists.slice(0, 40));
    // Newest first, as setlist.fm sorts.
    const dates = all.setlists.map((s) => s.eventDate.split('-').reverse().join('-'));
    expect(dates).toEqual([...dates].sort().reverse());
  });
});
