/**
 * Venue pages (issue 19, `venues.history`) against the real MariaDB and Redis: a
 * user's shows at a venue with their cards' photo counts and strips, the figures,
 * another user's shows at the same shared venue kept out, another user's own
 * venue answering like a missing one, bad ids refused, and the cached page
 * following an edit (through HTTP, where the wire cache answers).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artists, concerts, photos, scans, sources, venues } from '../../drizzle/schema/index.js';
import { inProcessCaller, signedUpCaller } from '../support/in-process-caller.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { signedUpClient, trpcFailure } from '../support/trpc-http-client.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp(testEnv({ DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')) }));
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.database.db;
const wireHits = () => app.services.viewCache.counts.get('wire:venues.history')?.hits ?? 0;
const tag = `v${process.pid.toString(36)}${Date.now().toString(36)}`;

/** A shared (OpenStreetMap) venue, or one of `ownerId`'s own. */
async function insertVenue(name: string, ownerId: number | null = null) {
  const [result] = await db()
    .insert(venues)
    .values({
      name: `${name} ${tag}`,
      city: 'Amsterdam',
      countryCode: 'NL',
      latitude: 52.3622,
      longitude: 4.8838,
      ...(ownerId === null ? {} : { source: 'user' as const, userId: ownerId }),
    });
  return { id: result.insertId, name: `${name} ${tag}` };
}

async function insertArtist(name: string) {
  const [result] = await db()
    .insert(artists)
    .values({ name: `${name} ${tag}` });
  return { id: result.insertId, name: `${name} ${tag}` };
}

async function insertConcert(userId: number, concertDate: string, venueId: number | null, artistId: number | null, tour: string | null = null) {
  const [result] = await db()
    .insert(concerts)
    .values({ userId, status: 'confirmed', concertDate, venueId, artistId, tour, city: 'Amsterdam', countryCode: 'NL' });
  return result.insertId;
}

/** `count` ready photos of the user in the concert, each with a thumbnail. */
async function insertPhotos(userId: number, concertId: number, count: number) {
  const [source] = await db()
    .insert(sources)
    .values({ userId, kind: 'upload', label: 'Uploaded photos', locationKey: `venue-page-${userId}-${concertId}` });
  const [scan] = await db().insert(scans).values({ userId, sourceId: source.insertId, status: 'completed' });
  for (let i = 0; i < count; i++) {
    const hash = `${concertId}-${i}`.padEnd(64, '0');
    await db()
      .insert(photos)
      .values({
        userId,
        sourceId: source.insertId,
        scanId: scan.insertId,
        sourceFileId: `IMG_${concertId}_${i}.JPG`,
        fileName: `IMG_${concertId}_${i}.JPG`,
        status: 'ready',
        width: 4000,
        height: 3000,
        takenAt: new Date(Date.UTC(2019, 6, 5, 19, 30, i)),
        contentHash: hash,
        thumbnailKey: `users/${userId}/thumbs/${hash}.webp`,
        concertId,
      });
  }
}

describe('venues.history', () => {
  it("answers the venue and every show of the user there, newest first, with the figures and each card's photos", async () => {
    const paradiso = await insertVenue('Paradiso');
    const elsewhere = await insertVenue('Melkweg');
    const band = await insertArtist('Band');
    const singer = await insertArtist('Singer');

    const { caller, user } = await signedUpCaller(app, 'venue-fan');
    const first = await insertConcert(user.id, '2014-03-21', paradiso.id, band.id);
    const middle = await insertConcert(user.id, '2017-10-02', paradiso.id, singer.id, 'Autumn Tour');
    const last = await insertConcert(user.id, '2021-06-30', paradiso.id, band.id);
    await insertConcert(user.id, '2019-01-01', elsewhere.id, singer.id);
    await insertPhotos(user.id, middle, 3);

    // Another user at the same shared venue: never on this user's page, nor in their figures.
    const other = await signedUpCaller(app, 'venue-other');
    const theirs = await insertConcert(other.user.id, '2023-01-01', paradiso.id, singer.id);
    const stranger = await insertArtist('Stranger');
    await insertConcert(other.user.id, '2012-01-01', paradiso.id, stranger.id);

    const page = await caller.venues.history({ venueId: paradiso.id });
    expect(page.venue).toEqual({
      id: paradiso.id,
      name: paradiso.name,
      city: 'Amsterdam',
      countryCode: 'NL',
      latitude: 52.3622,
      longitude: 4.8838,
      source: 'osm',
    });
    expect(page.summary).toEqual({ shows: 3, firstVisit: '2014-03-21', lastVisit: '2021-06-30', artists: 2 });
    expect(page.shows.map((show) => show.id)).toEqual([last, middle, first]);
    expect(page.shows.map((show) => show.id)).not.toContain(theirs);
    expect(page.shows[1]).toMatchObject({
      id: middle,
      concertDate: '2017-10-02',
      status: 'confirmed',
      artist: { id: singer.id, name: singer.name },
      venue: { id: paradiso.id, name: paradiso.name },
      tour: 'Autumn Tour',
      photoCount: 3,
    });
    // The strip the timeline's card has: thumbnail URLs, never the storage keys.
    expect(page.shows[1]!.photos).toHaveLength(3);
    expect(page.shows[1]!.photos[0]!.thumbnailUrl).toEqual(expect.any(String));
    expect(page.shows[1]!.photos[0]).not.toHaveProperty('thumbnailKey');
    expect(page.shows[0]).toMatchObject({ id: last, tour: null, photoCount: 0, photos: [] });

    // The other user's own page of the same venue has only theirs.
    const otherPage = await other.caller.venues.history({ venueId: paradiso.id });
    expect(otherPage.summary).toEqual({ shows: 2, firstVisit: '2012-01-01', lastVisit: '2023-01-01', artists: 2 });
  });

  it('shows a visible venue without shows of the user as empty, and the user their own venue', async () => {
    const { caller, user } = await signedUpCaller(app, 'venue-own');
    const shared = await insertVenue('Never Been');
    expect(await caller.venues.history({ venueId: shared.id })).toMatchObject({
      venue: { id: shared.id },
      summary: { shows: 0, firstVisit: null, lastVisit: null, artists: 0 },
      shows: [],
    });

    const mine = await insertVenue('Living Room', user.id);
    const show = await insertConcert(user.id, '2020-05-05', mine.id, null);
    const page = await caller.venues.history({ venueId: mine.id });
    expect(page.venue).toMatchObject({ id: mine.id, name: mine.name, source: 'user' });
    // A show without an artist counts as a show, not as an artist.
    expect(page.summary).toEqual({ shows: 1, firstVisit: '2020-05-05', lastVisit: '2020-05-05', artists: 0 });
    expect(page.shows.map((row) => row.id)).toEqual([show]);
  });

  it("answers another user's own venue exactly like a missing one: NOT_FOUND", async () => {
    const owner = await signedUpCaller(app, 'venue-owner');
    const privateVenue = await insertVenue('Backyard', owner.user.id);
    await insertConcert(owner.user.id, '2020-07-07', privateVenue.id, null);

    const { caller } = await signedUpCaller(app, 'venue-snoop');
    const theirs = await caller.venues.history({ venueId: privateVenue.id }).catch((error: unknown) => error);
    const missing = await caller.venues.history({ venueId: 2_000_000_000 }).catch((error: unknown) => error);
    expect(theirs).toMatchObject({ code: 'NOT_FOUND', message: 'Venue not found' });
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'Venue not found' });
    // The owner sees it.
    expect((await owner.caller.venues.history({ venueId: privateVenue.id })).summary.shows).toBe(1);
  });

  it('refuses ids that are not positive whole numbers with a clear BAD_REQUEST, and callers without a session', async () => {
    const { client } = await signedUpClient(app.url, 'venue-bad');
    for (const [venueId, message] of [
      [0, 'venueId: A venue id is a positive number'],
      [-1, 'venueId: A venue id is a positive number'],
      [1.5, 'venueId: A venue id is a whole number'],
      ['7', 'venueId: A venue id is a number'],
    ] as const) {
      const error = await trpcFailure(client.venues.history.query({ venueId } as { venueId: number }));
      expect(error.data?.code, String(venueId)).toBe('BAD_REQUEST');
      expect(error.message, String(venueId)).toBe(message);
    }
    const { caller: anonymous } = inProcessCaller(app);
    await expect(anonymous.venues.history({ venueId: 1 })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('is served from the wire cache and follows the edits it shows (a tour, a new show)', async () => {
    const paradiso = await insertVenue('Cached Hall');
    const { client, user } = await signedUpClient(app.url, 'venue-cache');
    const band = await insertArtist('Cached Band');
    const show = await insertConcert(user.id, '2018-04-04', paradiso.id, band.id);
    // Confirmed and only the tour changes: the concert's page tag alone is bumped (docs/cache.md), which this page depends on too.
    expect((await client.venues.history.query({ venueId: paradiso.id })).shows[0]?.tour).toBeNull();
    const before = wireHits();
    expect((await client.venues.history.query({ venueId: paradiso.id })).shows[0]?.tour).toBeNull();
    expect(wireHits(), 'the second read is answered from the wire cache').toBe(before + 1);
    await client.concerts.update.mutate({ id: show, tour: 'Spring Tour' });
    expect((await client.venues.history.query({ venueId: paradiso.id })).shows[0]?.tour).toBe('Spring Tour');

    const created = await client.concerts.create.mutate({ date: '2019-09-09', artist: { artistId: band.id }, venue: { venueId: paradiso.id } });
    const page = await client.venues.history.query({ venueId: paradiso.id });
    expect(page.shows.map((row) => row.id)).toEqual([created.id, show]);
    expect(page.summary).toMatchObject({ shows: 2, artists: 1 });
  });
});
