/**
 * stats.summary against the real MariaDB: a history written straight into the
 * tables (two users sharing artists and venues), every figure checked, and the
 * other user's concerts, photos and setlists kept out.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artists, concerts, photos, venues } from '../../drizzle/schema/index.js';
import type { SetlistSet } from '../../shared/concert.schema.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { inProcessCaller, signedUpCaller } from '../support/in-process-caller.js';
import { testEnv } from '../support/test-env.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp(testEnv({ DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')) }));
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.database.db;
// Artists and venues are shared by every test file of the run: names carry this run's tag.
const tag = `t${process.pid.toString(36)}${Date.now().toString(36)}`;

// In-process (createCaller): the figures are the point, not HTTP.
async function newUser(label: string) {
  const { caller: client, user } = await signedUpCaller(app, label);
  return { client, user };
}

async function insertArtist(name: string) {
  const [result] = await db()
    .insert(artists)
    .values({ name: `${name} ${tag}` });
  return { id: result.insertId, name: `${name} ${tag}` };
}

async function insertVenue(name: string, city: string, countryCode: string) {
  const [result] = await db()
    .insert(venues)
    .values({ name: `${name} ${tag}`, city, countryCode, latitude: 52.36, longitude: 4.88 });
  return { id: result.insertId, name: `${name} ${tag}`, city, countryCode };
}

type NewConcert = Omit<typeof concerts.$inferInsert, 'userId'>;

/** One row at a time, so ids follow the order given (the milestones' tie-break). */
async function insertConcerts(userId: number, rows: NewConcert[]): Promise<number[]> {
  const ids: number[] = [];
  for (const row of rows) {
    const [result] = await db()
      .insert(concerts)
      .values({ status: 'confirmed', ...row, userId });
    ids.push(result.insertId);
  }
  return ids;
}

let fileCounter = 0;
async function insertPhotos(userId: number, fixtures: Array<Partial<typeof photos.$inferInsert>>) {
  for (const fixture of fixtures) {
    fileCounter += 1;
    await db()
      .insert(photos)
      .values({
        userId,
        sourceId: 1,
        sourceFileId: `stats/${fileCounter}.jpg`,
        fileName: `IMG_${fileCounter}.JPG`,
        status: 'ready',
        ...fixture,
      });
  }
}

const set = (...songs: Array<string | { name: string; tape: boolean }>): SetlistSet => ({
  songs: songs.map((song) => (typeof song === 'string' ? { name: song } : song)),
});

/** The ISO weekday (Monday 1 … Sunday 7) of a calendar date, worked out apart from the server's WEEKDAY(). */
const isoWeekday = (date: string) => ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;

describe('stats.summary', () => {
  it('sums up a history: totals, years with gaps, weekdays, top lists, places, first concert, milestones and songs', async () => {
    const { client, user } = await newUser('stats');
    const [alpha, beta, gamma] = [await insertArtist('Alpha'), await insertArtist('Beta'), await insertArtist('Gamma')];
    const paradiso = await insertVenue('Paradiso', 'Amsterdam', 'NL');
    const brixton = await insertVenue('Brixton Academy', 'London', 'GB');

    const named: NewConcert[] = [
      // Two shows one evening: the lower id is the first concert.
      {
        concertDate: '2012-11-09',
        artistId: alpha.id,
        venueId: paradiso.id,
        city: 'Amsterdam',
        countryCode: 'NL',
        setlist: [set({ name: 'Intro', tape: true }, 'Song A', 'Song B', 'Song A', ''), { encore: 1, ...set('Song C') }],
      },
      { concertDate: '2012-11-09', artistId: beta.id, venueId: paradiso.id, city: 'Amsterdam', countryCode: 'NL', status: 'needs_review' },
      // The same song, another case: one song heard at two concerts.
      { concertDate: '2014-03-21', artistId: alpha.id, venueId: brixton.id, city: 'London', countryCode: 'GB', setlist: [set('song a', 'Song B')] },
      // Another artist's "Song A" is another song.
      { concertDate: '2014-06-01', artistId: beta.id, city: 'Utrecht', countryCode: 'NL', setlist: [set('Song A', { name: 'Outro', tape: true })] },
      // Neither artist nor venue nor city yet: still a concert attended.
      { concertDate: '2015-01-05', countryCode: 'DE', status: 'needs_review' },
    ];
    const filler: NewConcert[] = Array.from({ length: 21 }, (_, i) => ({
      concertDate: `2016-${String((i % 12) + 1).padStart(2, '0')}-${String(i + 1).padStart(2, '0')}`,
      artistId: gamma.id,
      venueId: brixton.id,
      city: 'London',
      countryCode: 'GB',
    }));
    const ids = await insertConcerts(user.id, [...named, ...filler]);
    const history = [...named, ...filler].map((concert, i) => ({ ...concert, id: ids[i]! }));
    const [first] = ids;

    await insertPhotos(user.id, [
      { concertId: first! },
      { concertId: first! },
      { concertId: ids[2]! },
      { concertId: null },
      // Not shown to the user, so not counted: a hidden extra copy, a failed file, one still being read.
      { concertId: first!, hidden: true },
      { concertId: first!, status: 'failed' },
      { concertId: null, status: 'pending' },
    ]);

    // Another fan at the same venues, with the same artists, earlier and with more photos: none of it is ours.
    const other = await newUser('stats-other');
    const otherIds = await insertConcerts(other.user.id, [
      {
        concertDate: '2009-05-01',
        artistId: beta.id,
        venueId: paradiso.id,
        city: 'Amsterdam',
        countryCode: 'NL',
        setlist: [set('Song Z', 'Song A')],
      },
      { concertDate: '2019-05-02', artistId: beta.id, venueId: paradiso.id, city: 'Paris', countryCode: 'FR', setlist: [set('Song Z')] },
    ]);
    await insertPhotos(other.user.id, [{ concertId: otherIds[0]! }, { concertId: otherIds[1]! }, { concertId: null }]);

    const stats = await client.stats.summary();

    expect(stats.totalConcerts).toBe(26);
    expect(stats.totalPhotos).toBe(4);
    expect(stats.totalArtists).toBe(3);
    expect(stats.totalVenues).toBe(2);
    expect(stats.perYear).toEqual([
      { year: 2012, count: 2 },
      { year: 2013, count: 0 },
      { year: 2014, count: 2 },
      { year: 2015, count: 1 },
      { year: 2016, count: 21 },
    ]);
    const expectedWeekdays = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday,
      count: history.filter((concert) => isoWeekday(concert.concertDate) === weekday).length,
    }));
    expect(stats.perWeekday).toEqual(expectedWeekdays);
    // 2012-11-09 and 2014-03-21 were Fridays, 2014-06-01 a Sunday, 2015-01-05 a Monday.
    expect(isoWeekday('2012-11-09')).toBe(5);
    expect(isoWeekday('2014-06-01')).toBe(7);

    expect(stats.topArtists).toEqual([
      { id: gamma.id, name: gamma.name, count: 21 },
      { id: alpha.id, name: alpha.name, count: 2 },
      { id: beta.id, name: beta.name, count: 2 },
    ]);
    expect(stats.topVenues).toEqual([
      { ...brixton, count: 22 },
      { ...paradiso, count: 2 },
    ]);
    expect(stats.cities).toEqual({
      total: 3,
      top: [
        { city: 'London', countryCode: 'GB', count: 22 },
        { city: 'Amsterdam', countryCode: 'NL', count: 2 },
        { city: 'Utrecht', countryCode: 'NL', count: 1 },
      ],
    });
    expect(stats.countries).toEqual([
      { countryCode: 'GB', count: 22 },
      { countryCode: 'NL', count: 3 },
      { countryCode: 'DE', count: 1 },
    ]);

    expect(stats.firstConcert).toEqual({
      id: first,
      concertDate: '2012-11-09',
      city: 'Amsterdam',
      countryCode: 'NL',
      artist: { id: alpha.id, name: alpha.name },
      venue: { id: paradiso.id, name: paradiso.name },
    });
    const inOrder = [...history].sort((a, b) => a.concertDate.localeCompare(b.concertDate) || a.id - b.id);
    expect(stats.milestones.map((m) => ({ n: m.n, id: m.concert.id, date: m.concert.concertDate }))).toEqual(
      [1, 10, 25].map((n) => ({ n, id: inOrder[n - 1]!.id, date: inOrder[n - 1]!.concertDate })),
    );
    expect(stats.milestones[2]!.concert).toMatchObject({ artist: { name: gamma.name }, venue: { name: brixton.name } });
    expect(stats.nextMilestone).toBe(50);

    // First heard at: the earliest concert of the song (the lower id on one evening), with its venue and place.
    const heardAt = (i: number) => ({
      concertId: ids[i]!,
      concertDate: named[i]!.concertDate,
      city: named[i]!.city,
      countryCode: named[i]!.countryCode,
      venueName: named[i]!.venueId === paradiso.id ? paradiso.name : named[i]!.venueId === brixton.id ? brixton.name : null,
    });
    expect(stats.topSongs).toEqual([
      // "Song A" or "song a": either spelling names the one song.
      { song: expect.stringMatching(/^song a$/i), artist: { id: alpha.id, name: alpha.name }, count: 2, firstHeard: heardAt(0) },
      { song: 'Song B', artist: { id: alpha.id, name: alpha.name }, count: 2, firstHeard: heardAt(0) },
      { song: 'Song A', artist: { id: beta.id, name: beta.name }, count: 1, firstHeard: heardAt(3) },
      { song: 'Song C', artist: { id: alpha.id, name: alpha.name }, count: 1, firstHeard: heardAt(0) },
    ]);

    // And the other fan sees only theirs.
    const theirs = await other.client.stats.summary({});
    expect(theirs).toMatchObject({ totalConcerts: 2, totalPhotos: 3, firstConcert: { id: otherIds[0] } });
    expect(theirs.perYear).toHaveLength(11);
    const theirFirst = { concertId: otherIds[0]!, concertDate: '2009-05-01', city: 'Amsterdam', countryCode: 'NL', venueName: paradiso.name };
    expect(theirs.topSongs).toEqual([
      { song: 'Song Z', artist: { id: beta.id, name: beta.name }, count: 2, firstHeard: theirFirst },
      { song: 'Song A', artist: { id: beta.id, name: beta.name }, count: 1, firstHeard: theirFirst },
    ]);
  });

  it('answers an empty summary for a user without concerts', async () => {
    const { client, user } = await newUser('stats-empty');
    await insertPhotos(user.id, [{ concertId: null }]);
    expect(await client.stats.summary()).toEqual({
      totalConcerts: 0,
      totalPhotos: 1,
      totalArtists: 0,
      totalVenues: 0,
      festivals: { festivals: 0, acts: 0 },
      perYear: [],
      perWeekday: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, count: 0 })),
      topArtists: [],
      topVenues: [],
      cities: { total: 0, top: [] },
      countries: [],
      firstConcert: null,
      milestones: [],
      nextMilestone: 1,
      topSongs: [],
      map: { venues: [], leftOut: 0, tiles: null },
      travel: null,
      newPlaces: [],
    });
  });

  it('asks who you are first', async () => {
    const { caller } = inProcessCaller(app);
    await expect(caller.stats.summary()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
