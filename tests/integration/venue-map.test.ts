/**
 * The venue map and the distances of stats.summary (issue 19) against the real
 * MariaDB: a home city chosen through the city search, concerts at real venues,
 * every distance checked against hand-computed figures, and another user's
 * concerts and home kept out.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concerts, venues } from '../../drizzle/schema/index.js';
import { inProcessCaller, signedUpCaller } from '../support/in-process-caller.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp(testEnv({ DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')) }));
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.database.db;
const tag = `m${process.pid.toString(36)}${Date.now().toString(36)}`;

/** Amsterdam in the offline list (GeoNames 2759794): 52.37403, 4.88969. */
const AMSTERDAM_ID = 2759794;

/*
 * Distances from Amsterdam (52.37403, 4.88969) computed by hand with the haversine
 * formula in Python's math module, R = 6371.0088 km, to 0.01 km:
 *   Paradiso (52.3622, 4.8838)              1.37 km
 *   O2 Academy Brixton (51.4652, -0.1147)   357.69 km
 *   The Fillmore (37.7840, -122.4330)       8772.03 km
 */
const KM = { paradiso: 1.37, brixton: 357.69, fillmore: 8772.03 };

async function insertVenue(name: string, city: string, countryCode: string, latitude: number, longitude: number) {
  const [result] = await db()
    .insert(venues)
    .values({ name: `${name} ${tag}`, city, countryCode, latitude, longitude });
  return { id: result.insertId, name: `${name} ${tag}` };
}

async function insertConcert(userId: number, concertDate: string, venueId: number | null, city: string, countryCode: string) {
  await db().insert(concerts).values({ userId, status: 'confirmed', concertDate, venueId, city, countryCode });
}

describe('the venue map and distances', () => {
  it('searches the offline city list by prefix, at most ten, with positions', async () => {
    const { caller } = await signedUpCaller(app, 'map-search');
    const found = await caller.homeCity.search({ prefix: 'amsterd' });
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(10);
    expect(found[0]).toEqual({ geonameId: AMSTERDAM_ID, name: 'Amsterdam', countryCode: 'NL', latitude: 52.37403, longitude: 4.88969 });
    expect(await caller.homeCity.search({ prefix: 'san' })).toHaveLength(10);
    await expect(caller.homeCity.search({ prefix: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('sets and clears the home city, with the list position whatever the client sends', async () => {
    const { caller } = await signedUpCaller(app, 'map-home');
    expect(await caller.homeCity.get()).toBeNull();
    const sneaky = { geoname: AMSTERDAM_ID, latitude: 0, longitude: 0 } as { geoname: number };
    expect(await caller.homeCity.set(sneaky)).toEqual({ name: 'Amsterdam', countryCode: 'NL', latitude: 52.37403, longitude: 4.88969 });
    expect(await caller.homeCity.get()).toEqual({ name: 'Amsterdam', countryCode: 'NL', latitude: 52.37403, longitude: 4.88969 });
    await expect(caller.homeCity.set({ geoname: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await caller.homeCity.clear()).toBeNull();
    expect(await caller.homeCity.get()).toBeNull();
    const { caller: anonymous } = inProcessCaller(app);
    await expect(anonymous.homeCity.get()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('draws every venue and measures the distances from home, for this user only', async () => {
    const paradiso = await insertVenue('Paradiso', 'Amsterdam', 'NL', 52.3622, 4.8838);
    const brixton = await insertVenue('O2 Academy Brixton', 'London', 'GB', 51.4652, -0.1147);
    const fillmore = await insertVenue('The Fillmore', 'San Francisco', 'US', 37.784, -122.433);

    const { caller, user } = await signedUpCaller(app, 'map-fan');
    await insertConcert(user.id, '2019-06-01', paradiso.id, 'Amsterdam', 'NL');
    await insertConcert(user.id, '2019-11-10', brixton.id, 'London', 'GB');
    await insertConcert(user.id, '2021-03-05', paradiso.id, 'Amsterdam', 'NL');
    await insertConcert(user.id, '2022-08-20', fillmore.id, 'San Francisco', 'US');
    // No venue, so no position: left out of the map and the distances, still a new city.
    await insertConcert(user.id, '2022-09-01', null, 'Utrecht', 'NL');

    // Another user: their concerts and their home (London) never count for this one.
    const other = await signedUpCaller(app, 'map-other');
    await insertConcert(other.user.id, '2018-01-01', fillmore.id, 'San Francisco', 'US');
    await insertConcert(other.user.id, '2018-02-01', brixton.id, 'London', 'GB');
    await other.caller.homeCity.set({ geoname: 2643743 });

    const before = await caller.stats.summary();
    expect(before.travel).toBeNull();
    expect(before.map.leftOut).toBe(1);
    expect(before.map.venues.map((venue) => [venue.id, venue.count])).toEqual([
      [paradiso.id, 2],
      [brixton.id, 1],
      [fillmore.id, 1],
    ]);
    expect(before.map.venues[0]).toMatchObject({ name: paradiso.name, city: 'Amsterdam', countryCode: 'NL', latitude: 52.3622, longitude: 4.8838 });
    expect(before.newPlaces).toEqual([
      { year: 2019, cities: 2, countries: 2 },
      { year: 2022, cities: 2, countries: 1 },
    ]);

    await caller.homeCity.set({ geoname: AMSTERDAM_ID });
    // The cached summary is stale after the home city changed: the next read has the distances.
    const stats = await caller.stats.summary();
    const travel = stats.travel;
    expect(travel?.home).toEqual({ name: 'Amsterdam', countryCode: 'NL' });
    expect(travel?.totalKm).toBeCloseTo(2 * KM.paradiso + KM.brixton + KM.fillmore, 0);
    expect(Math.abs(travel!.totalKm - 9132.46)).toBeLessThan(0.5);
    expect(travel?.perYear.map((year) => year.year)).toEqual([2019, 2021, 2022]);
    const perYear = new Map(travel!.perYear.map((year) => [year.year, year]));
    expect(Math.abs(perYear.get(2019)!.km - (KM.paradiso + KM.brixton))).toBeLessThan(0.5);
    expect(perYear.get(2019)!.concerts).toBe(2);
    expect(Math.abs(perYear.get(2021)!.km - KM.paradiso)).toBeLessThan(0.5);
    expect(Math.abs(perYear.get(2022)!.km - KM.fillmore)).toBeLessThan(0.5);
    expect(travel?.farthest).toMatchObject({ venueId: fillmore.id, name: fillmore.name, concertDate: '2022-08-20' });
    expect(Math.abs(travel!.farthest!.km - KM.fillmore)).toBeLessThan(0.5);

    // The other user sees only their own two concerts, measured from London.
    const theirs = await other.caller.stats.summary();
    expect(theirs.map.venues.map((venue) => venue.id).sort()).toEqual([brixton.id, fillmore.id].sort());
    expect(theirs.travel?.home).toEqual({ name: 'London', countryCode: 'GB' });
    // From London (51.50853, -0.12574), by hand as above: Brixton 4.88 km, The Fillmore 8616.24 km.
    expect(Math.abs(theirs.travel!.totalKm - (4.88 + 8616.24))).toBeLessThan(0.5);

    await caller.homeCity.clear();
    expect((await caller.stats.summary()).travel).toBeNull();
  });
});
