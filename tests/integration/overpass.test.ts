import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OverpassClient } from '../../server/integrations/overpass/overpass-client.js';
import { buildVenuesAroundQuery } from '../../server/integrations/overpass/overpass-query.js';
import { findVenue, rankVenueCandidates } from '../../server/integrations/overpass/venue-ranking.js';
import { createUpstreamFetch, UpstreamError } from '../../server/integrations/upstream-fetch.js';
import { createGlobalThrottle, ThrottleTimeoutError, type GlobalThrottleOptions } from '../../server/rate-limit/global-throttle.js';
import { VENUES } from '../../scripts/demo-library/venues.js';
import {
  DEMO_VENUE_PLACES,
  DISTRACTOR_PLACES,
  FAR_VENUE,
  offsetMeters,
  startOverpassStandIn,
  type OverpassFault,
  type OverpassStandIn,
} from '../../scripts/stand-ins/overpass-stand-in.js';
import { distanceMeters } from '../../shared/geo.js';
import { testConfig } from '../support/test-env.js';

const config = testConfig();
const redis = new Redis(config.redis.url);
const runPrefix = `${config.redis.keyPrefix}-overpass-${Date.now()}`;

let standIn: OverpassStandIn;
const startedStandIns: OverpassStandIn[] = [];

beforeAll(async () => {
  standIn = await startOverpassStandIn();
  startedStandIns.push(standIn);
});
afterAll(async () => {
  await Promise.all(startedStandIns.map((s) => s.close()));
  await redis.quit();
});

let throttleCount = 0;
/** Each client gets its own throttle key unless it is given one to share, so tests never wait on each other. */
function clientFor(
  target: OverpassStandIn,
  options: { throttle?: Partial<GlobalThrottleOptions>; attempts?: number; userAgent?: string } = {},
): OverpassClient {
  throttleCount += 1;
  const throttle = createGlobalThrottle(redis, {
    service: 'overpass',
    keyPrefix: `${runPrefix}-${throttleCount}`,
    refillPerSecond: 100,
    burst: 100,
    ...options.throttle,
  });
  const upstreamFetch = createUpstreamFetch({ service: 'overpass', throttle, attempts: options.attempts ?? 4, baseDelayMs: 5, timeoutMs: 5_000 });
  return new OverpassClient({ url: target.url, upstreamFetch, ...(options.userAgent ? { userAgent: options.userAgent } : {}) });
}

async function standInFailing(failNext: OverpassFault[]): Promise<OverpassStandIn> {
  const faulty = await startOverpassStandIn({ faults: { failNext } });
  startedStandIns.push(faulty);
  return faulty;
}

async function upstreamErrorOf(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe('Overpass client against the stand-in', () => {
  it('finds each demo venue from photos taken 60 m away, with its OSM id, name, city and country', async () => {
    const client = clientFor(standIn);
    const keys = Object.keys(VENUES) as Array<keyof typeof VENUES>;
    for (const [index, key] of keys.entries()) {
      const venue = VENUES[key];
      const bearing = (index * 2 * Math.PI) / keys.length;
      const photos = offsetMeters(venue, 60 * Math.cos(bearing), 60 * Math.sin(bearing));
      const best = await findVenue(client, photos);
      const expected = DEMO_VENUE_PLACES[key];
      expect(best?.place, venue.name).toMatchObject({
        osmType: expected.osmType,
        osmId: expected.osmId,
        name: venue.name,
        city: venue.city,
        countryCode: expected.tags['addr:country'] ? venue.countryCode : null,
      });
      expect(best?.distanceMeters).toBeGreaterThan(50);
      expect(best?.distanceMeters).toBeLessThan(70);
      expect(best?.confidence).toBeGreaterThan(0.7);
    }
  });

  it('gives nodes their own position and ways and relations their center', async () => {
    const client = clientFor(standIn);
    for (const key of ['bowery', 'paradiso', 'vega'] as const) {
      const venue = VENUES[key];
      const [found] = (await client.findVenuesAround(venue.latitude, venue.longitude, 50)).filter((p) => p.name === venue.name);
      expect(found?.osmType).toBe(DEMO_VENUE_PLACES[key].osmType);
      expect(found?.latitude).toBeCloseTo(venue.latitude, 6);
      expect(found?.longitude).toBeCloseTo(venue.longitude, 6);
      expect(found?.tags.amenity).toBeDefined();
    }
  });

  it('ranks the theatre 150 m farther below the venue next to the photos', async () => {
    const photos = offsetMeters(VENUES.paradiso, 60, 0);
    const places = await clientFor(standIn).findVenuesAround(photos.latitude, photos.longitude, 250);
    const ranked = rankVenueCandidates(places, photos, 250);
    expect(ranked.map((r) => r.place.osmId)).toEqual([DEMO_VENUE_PLACES.paradiso.osmId, DISTRACTOR_PLACES.theatreByParadiso.osmId]);
    expect(ranked[1]?.distanceMeters).toBeGreaterThan((ranked[0]?.distanceMeters ?? 0) + 140);
    expect(ranked[1]?.confidence).toBeLessThan(ranked[0]?.confidence ?? 0);
  });

  it('never returns a pub or a place without a name, however close', async () => {
    const client = clientFor(standIn);
    const nearBrixton = await client.findVenuesAround(VENUES.brixton.latitude, VENUES.brixton.longitude, 250);
    const nearColumbiahalle = await client.findVenuesAround(VENUES.columbiahalle.latitude, VENUES.columbiahalle.longitude, 250);
    expect(nearBrixton.map((p) => p.osmId)).toEqual([DEMO_VENUE_PLACES.brixton.osmId]);
    expect(nearColumbiahalle.map((p) => p.osmId)).toEqual([DEMO_VENUE_PLACES.columbiahalle.osmId]);
    expect(distanceMeters(VENUES.brixton, DISTRACTOR_PLACES.pubByBrixton)).toBeLessThan(50);
    expect(distanceMeters(VENUES.columbiahalle, DISTRACTOR_PLACES.unnamedClubByColumbiahalle)).toBeLessThan(50);
  });

  it('widens to 800 m only when nothing is within 250 m, and then finds the amphitheatre 500 m away', async () => {
    const target = await startOverpassStandIn();
    startedStandIns.push(target);
    const best = await findVenue(clientFor(target), FAR_VENUE.photoSpot);
    expect(best?.place.osmId).toBe(FAR_VENUE.place.osmId);
    expect(best?.place.name).toBe('Red Rocks Amphitheatre');
    expect(best?.distanceMeters).toBeGreaterThan(450);
    expect(best?.distanceMeters).toBeLessThan(550);
    expect(best?.confidence).toBeLessThan(0.5);
    expect(target.requests).toEqual([buildVenuesAroundQuery(FAR_VENUE.photoSpot, 250), buildVenuesAroundQuery(FAR_VENUE.photoSpot, 800)]);

    const near = offsetMeters(VENUES.vega, 60, 0);
    await findVenue(clientFor(target), near);
    expect(target.requests.slice(2)).toEqual([buildVenuesAroundQuery(near, 250)]);
  });

  it('retries a 429 and then a 504, and the answer still arrives', async () => {
    const faulty = await standInFailing([429, 504]);
    const venue = VENUES.olympia;
    const places = await clientFor(faulty).findVenuesAround(venue.latitude, venue.longitude, 250);
    expect(places.map((p) => p.name)).toEqual([venue.name]);
    expect(faulty.requests).toHaveLength(3);
  });

  it('gives up with a transient error when the server stays too busy', async () => {
    const faulty = await standInFailing([504, 504, 504]);
    const error = await upstreamErrorOf(clientFor(faulty, { attempts: 3 }).findVenuesAround(48.87, 2.33, 250));
    expect(error).toMatchObject({ service: 'overpass', status: 504, transient: true });
    expect(faulty.requests).toHaveLength(3);
  });

  it('treats a query that timed out on the server (a 200 with a runtime error remark) as transient', async () => {
    const faulty = await standInFailing(['runtime-error']);
    const error = await upstreamErrorOf(clientFor(faulty).findVenuesAround(48.87, 2.33, 250));
    expect(error).toMatchObject({ status: 200, transient: true });
    expect(error.message).toContain('Query timed out');
  });

  it('surfaces a query the server cannot parse as a non-transient 400 with its explanation', async () => {
    const client = clientFor(standIn);
    const error = await upstreamErrorOf(client.runQuery('[out:json];nwx(around:250,52.3622,4.8839)["name"];out center tags;'));
    expect(error).toMatchObject({ service: 'overpass', status: 400, transient: false });
    expect(error.message).toContain('line 1: parse error: Unknown type "nwx"');
  });

  it('is refused with a non-transient 406 when it sends a stock User-Agent', async () => {
    const error = await upstreamErrorOf(clientFor(standIn, { userAgent: 'node' }).findVenuesAround(48.87, 2.33, 250));
    expect(error).toMatchObject({ status: 406, transient: false });
  });

  it('sends nothing while another process holds the only Overpass slot', async () => {
    const target = await startOverpassStandIn();
    startedStandIns.push(target);
    // Overpass's production limit, 1 request a second with no burst, shared by two "processes".
    const shared = { keyPrefix: `${runPrefix}-shared`, refillPerSecond: 1, burst: 1, maxWaitMs: 50 };
    const first = clientFor(target, { throttle: shared });
    const second = clientFor(target, { throttle: shared });
    await first.findVenuesAround(VENUES.vega.latitude, VENUES.vega.longitude, 250);
    const refused = await second.findVenuesAround(VENUES.vega.latitude, VENUES.vega.longitude, 250).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ThrottleTimeoutError);
    expect(target.requests).toHaveLength(1);
  });
});

describe('Overpass stand-in contract', () => {
  it('answers GET ?data= with the same Overpass JSON as a form POST', async () => {
    const query = buildVenuesAroundQuery(VENUES.enmore, 250);
    const headers = { 'User-Agent': 'ConcertHistory-tests' };
    const viaGet = await fetch(`${standIn.url}?data=${encodeURIComponent(query)}`, { headers });
    const viaPost = await fetch(standIn.url, { method: 'POST', headers, body: new URLSearchParams({ data: query }) });
    expect(viaGet.status).toBe(200);
    expect(viaGet.headers.get('content-type')).toBe('application/json');
    const body = (await viaGet.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      version: 0.6,
      generator: expect.stringMatching(/^Overpass API/),
      osm3s: { timestamp_osm_base: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), copyright: expect.stringContaining('ODbL') },
      elements: [{ type: 'node', id: DEMO_VENUE_PLACES.enmore.osmId, lat: VENUES.enmore.latitude, lon: VENUES.enmore.longitude }],
    });
    expect(await viaPost.json()).toEqual(body);
  });

  it('prints ways with a center and no node list under out center tags, and without coordinates under plain out tags', async () => {
    const headers = { 'User-Agent': 'ConcertHistory-tests' };
    const around = `around:50,${VENUES.paradiso.latitude},${VENUES.paradiso.longitude}`;
    const post = async (query: string) =>
      ((await (await fetch(standIn.url, { method: 'POST', headers, body: new URLSearchParams({ data: query }) })).json()) as { elements: unknown[] })
        .elements;

    const [withCenter] = await post(`[out:json];way(${around})["amenity"="music_venue"];out center tags;`);
    expect(withCenter).toEqual({
      type: 'way',
      id: DEMO_VENUE_PLACES.paradiso.osmId,
      center: { lat: VENUES.paradiso.latitude, lon: VENUES.paradiso.longitude },
      tags: DEMO_VENUE_PLACES.paradiso.tags,
    });
    const [tagsOnly] = await post(`[out:json];nwr(${around})[name~"^paradiso$",i];out tags;`);
    expect(tagsOnly).toEqual({ type: 'way', id: DEMO_VENUE_PLACES.paradiso.osmId, tags: DEMO_VENUE_PLACES.paradiso.tags });
  });
});
