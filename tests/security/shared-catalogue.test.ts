/**
 * The shared catalogue (issue 14, item 2): one user must not write into other users'
 * histories. A user's own free text (artist and venue names, tours) stays theirs;
 * another user's concert is at most an unverified suggestion in the review inbox,
 * never a confirmation; only setlist.fm and OpenStreetMap become shared facts; names
 * are stored without control, zero-width or bidi characters. Also item 20's concert
 * dates: year 0 or 1 is refused, so the year filter never meets a year it refuses.
 *
 * A real worker matches two fans' imports of the demo library against the setlist.fm
 * and Overpass stand-ins; single events are matched in-process through the same
 * services the worker runs.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artists, concerts, photos, venues } from '../../drizzle/schema/index.js';
import { createLogger } from '../../server/logger.js';
import { FAN_PASSWORD, startMatchingWorld, type MatchingWorld } from '../support/matching-world.js';
import { trpcFailure } from '../support/trpc-http-client.js';
import { workerServicesOf } from '../support/worker-jobs.js';

const PHISHING = 'Free tickets: claim yours at https://phish.example/login';
const INVENTED_ARTIST = 'Totally Real Band';
const INVENTED_VENUE = 'Free Tickets Hall';
/** Whatever of the attacker's text might have leaked into another user's rows or answers. */
const LEAKS = /phish|free tickets|totally real|ticket crew/i;

let world: MatchingWorld;
type Fan = Awaited<ReturnType<MatchingWorld['importDemoLibrary']>>;
let alice: Fan;
let bob: Fan;
const db = () => world.app.database.db;
const logger = createLogger({ logLevel: 'silent' });

beforeAll(async () => {
  world = await startMatchingWorld({
    label: 'catalogue',
    concerts: 3,
    outside: { web: true, worker: true },
    appEnv: { RATE_LIMIT_API_PER_MIN: '0' },
  });
  // Alice's import meets setlist.fm and OpenStreetMap first: the shared facts are theirs.
  alice = await world.importDemoLibrary();
}, 300_000);
afterAll(() => world?.close());

const codeOf = async (call: Promise<unknown>) => (await trpcFailure(call)).data?.code;

async function concertsOf(userId: number) {
  return db()
    .select({ concert: concerts, artist: artists.name, venue: venues.name })
    .from(concerts)
    .leftJoin(artists, eq(artists.id, concerts.artistId))
    .leftJoin(venues, eq(venues.id, concerts.venueId))
    .where(eq(concerts.userId, userId))
    .orderBy(concerts.id);
}

const concertOf = async (userId: number, date: string) => (await concertsOf(userId)).find((row) => row.concert.concertDate === date)!;

let fixtureCounter = 0;
/** Photos as an upload leaves them (ready, dated, placed), straight into the database. */
async function photosAt(userId: number, place: { latitude: number; longitude: number }, takenAt: Date, count: number, eventKey?: string) {
  const sourceId = await world.app.services.sources.uploadSourceOf(userId);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    fixtureCounter += 1;
    const [row] = await db()
      .insert(photos)
      .values({
        userId,
        sourceId,
        sourceFileId: `catalogue/${fixtureCounter}.jpg`,
        fileName: `IMG_${fixtureCounter}.JPG`,
        status: 'ready',
        takenAt: new Date(takenAt.getTime() + i * 60_000),
        timeZone: 'Europe/Amsterdam',
        ...place,
        ...(eventKey ? { eventKey } : {}),
      });
    ids.push(row.insertId);
  }
  return ids;
}

/** One event of a user matched as the worker matches it: venue detection, then matching. */
async function matchEvent(userId: number, evening: string, place: { latitude: number; longitude: number }, takenAt: Date) {
  const eventKey = `${evening}@${place.latitude.toFixed(3)},${place.longitude.toFixed(3)}`;
  await photosAt(userId, place, takenAt, 3, eventKey);
  const { venueDetection, concertMatching } = workerServicesOf(world.app).pipeline;
  const venue = await venueDetection.detect(userId, place);
  const payload = {
    scanId: 900_000_000 + fixtureCounter,
    userId,
    eventKey,
    evening,
    ...place,
    timeZone: 'Europe/Amsterdam',
    venueId: venue?.venueId ?? null,
    venueConfidence: venue?.confidence ?? null,
  };
  const outcome = await concertMatching.matchEvent(payload, logger);
  const result = outcome.status === 'done' ? outcome.value : null;
  return { venue, result, concertId: result && 'concertId' in result ? result.concertId : null };
}

describe("one user's entries in another user's history", () => {
  it("never reach a later user's matching: an edited concert and an invented venue at the real spot give way to setlist.fm's facts", async () => {
    const [show0, show1] = world.manifest.concerts as [(typeof world.manifest.concerts)[number], (typeof world.manifest.concerts)[number]];
    // Alice rewrites one matched show: an invented artist and a phishing tour on a confirmed concert.
    const edited = await concertOf(alice.user.id, show0.localDate);
    await alice.client.concerts.update.mutate({ id: edited.concert.id, artist: { artistName: 'Free Ticket Crew' }, tour: PHISHING });
    // And invents a venue and a confirmed concert right where another show's photos were taken, that evening.
    const ofShow1 = await concertOf(alice.user.id, show1.localDate);
    const photoIds = (
      await db()
        .select({ id: photos.id })
        .from(photos)
        .where(and(eq(photos.userId, alice.user.id), eq(photos.concertId, ofShow1.concert.id)))
    ).map((p) => p.id);
    const { id: invented } = await alice.client.concerts.create.mutate({
      date: show1.localDate,
      artist: { artistName: INVENTED_ARTIST },
      venue: { venueName: INVENTED_VENUE },
      tour: PHISHING,
      photoIds,
    });
    expect((await alice.client.concerts.get.query({ id: invented })).status).toBe('confirmed');

    const setlistfmBefore = world.setlistfm.requests.length;
    bob = await world.importDemoLibrary();
    const rows = await concertsOf(bob.user.id);
    expect(rows).toHaveLength(world.manifest.concerts.length);
    for (const show of world.manifest.concerts) {
      const row = rows.find((r) => r.concert.concertDate === show.localDate)!;
      expect(row.concert.status, show.localDate).toBe('confirmed');
      expect(row.artist).toBe(show.artist);
      expect(row.venue).toBe(show.venue.name);
      expect(row.concert.tour).toBe(show.tour);
    }
    expect(JSON.stringify(rows)).not.toMatch(LEAKS);
    // setlist.fm's shows came from our database: the shared facts are its answers, kept.
    expect(world.setlistfm.requests.length).toBe(setlistfmBefore);
  });

  it("keeps a user's invented artists and venues theirs: absent from other users' search, candidates and ids", async () => {
    const [aliceArtist] = await db().select().from(artists).where(eq(artists.name, INVENTED_ARTIST));
    const [aliceVenue] = await db().select().from(venues).where(eq(venues.name, INVENTED_VENUE));
    expect(aliceArtist).toMatchObject({ source: 'user', userId: alice.user.id, mbid: null });
    expect(aliceVenue).toMatchObject({ source: 'user', userId: alice.user.id });

    expect((await alice.client.artists.search.query({ q: 'Totally Real' })).map((a) => a.name)).toEqual([INVENTED_ARTIST]);
    expect(await bob.client.artists.search.query({ q: 'Totally Real' })).toEqual([]);
    expect(await bob.client.artists.search.query({ q: 'Free Ticket' })).toEqual([]);

    const show1 = world.manifest.concerts[1]!;
    const bobs = await concertOf(bob.user.id, show1.localDate);
    const candidates = await bob.client.inbox.candidates.query({ target: { concertId: bobs.concert.id } });
    expect(candidates.venues.map((v) => v.id)).not.toContain(aliceVenue!.id);
    expect(JSON.stringify(candidates)).not.toMatch(LEAKS);

    const before = await concertsOf(bob.user.id);
    const sharedVenue = bobs.concert.venueId!;
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['concerts.create with her artist', () => bob.client.concerts.create.mutate({ date: '2019-01-01', artist: { artistId: aliceArtist!.id } })],
      [
        'concerts.create with her venue',
        () => bob.client.concerts.create.mutate({ date: '2019-01-01', artist: { artistName: 'Mine' }, venue: { venueId: aliceVenue!.id } }),
      ],
      ['concerts.update with her artist', () => bob.client.concerts.update.mutate({ id: bobs.concert.id, artist: { artistId: aliceArtist!.id } })],
      ['concerts.update with her venue', () => bob.client.concerts.update.mutate({ id: bobs.concert.id, venue: { venueId: aliceVenue!.id } })],
      [
        'inbox.resolve with her venue',
        () => bob.client.inbox.resolve.mutate({ target: { concertId: bobs.concert.id }, choice: { venueId: aliceVenue!.id } }),
      ],
      [
        'inbox.resolve with her artist',
        () =>
          bob.client.inbox.resolve.mutate({ target: { concertId: bobs.concert.id }, choice: { artistId: aliceArtist!.id, venueId: sharedVenue } }),
      ],
    ];
    for (const [name, attempt] of attempts) expect(await codeOf(attempt()), name).toBe('NOT_FOUND');
    expect(await concertsOf(bob.user.id)).toEqual(before);
  });

  it('makes no shared artist of a MusicBrainz id setlist.fm does not confirm, and renames no shared artist', async () => {
    const { id: madeUp } = await alice.client.concerts.create.mutate({
      date: '2019-02-02',
      artist: { artistName: 'Radiohead Official', mbid: randomUUID() },
    });
    const [own] = await db().select().from(artists).where(eq(artists.name, 'Radiohead Official'));
    expect(own).toMatchObject({ userId: alice.user.id, source: 'user', mbid: null });
    expect((await alice.client.concerts.get.query({ id: madeUp })).artist?.id).toBe(own!.id);
    expect(await bob.client.artists.search.query({ q: 'Radiohead Official' })).toEqual([]);

    // A real artist's id with a name of one's own: the concert gets the shared artist, under its own name.
    const show2 = world.manifest.concerts[2]!;
    const [shared] = await db().select().from(artists).where(eq(artists.name, show2.artist));
    expect(shared!.mbid).toMatch(/^[0-9a-f-]{36}$/);
    const { id: hijack } = await alice.client.concerts.create.mutate({ date: '2019-02-03', artist: { artistName: PHISHING, mbid: shared!.mbid! } });
    expect((await alice.client.concerts.get.query({ id: hijack })).artist).toMatchObject({ id: shared!.id, name: show2.artist });
    expect((await db().select().from(artists).where(eq(artists.id, shared!.id)))[0]).toMatchObject({ name: show2.artist, userId: null });
  });

  it("leaves photos from the place and evening of another user's invented concert in the user's own inbox, unconfirmed", async () => {
    const rotterdam = { latitude: 51.9225, longitude: 4.4792 };
    const evening = '2018-05-19';
    const start = new Date(Date.UTC(2018, 4, 19, 19, 30));
    const aliceIds = await photosAt(alice.user.id, rotterdam, start, 3);
    await alice.client.concerts.create.mutate({
      date: evening,
      artist: { artistName: INVENTED_ARTIST },
      venue: { venueName: `${INVENTED_VENUE} Rotterdam` },
      tour: PHISHING,
      photoIds: aliceIds,
    });

    const { venue, result, concertId } = await matchEvent(bob.user.id, evening, rotterdam, start);
    expect(venue).toBeNull();
    expect(result).toMatchObject({ outcome: 'needs_review' });
    const [row] = await db()
      .select()
      .from(concerts)
      .where(and(eq(concerts.userId, bob.user.id), eq(concerts.id, concertId!)));
    expect(row).toMatchObject({ status: 'needs_review', artistId: null, venueId: null, tour: null, concertDate: evening, city: 'Rotterdam' });

    const inbox = await bob.client.inbox.list.query({ limit: 50 });
    expect(inbox.events.map((event) => event.id)).toContain(concertId);
    const candidates = await bob.client.inbox.candidates.query({ target: { concertId: concertId! } });
    expect(candidates.suggestions).toEqual([]);
    expect(JSON.stringify(candidates)).not.toMatch(LEAKS);
  });

  it("offers another user's show at a shared venue only as an unverified suggestion with shared names, which the user may choose", async () => {
    const show0 = world.manifest.concerts[0]!;
    const show2 = world.manifest.concerts[2]!;
    const [venue] = await db()
      .select()
      .from(venues)
      .where(and(eq(venues.name, show0.venue.name), isNotNull(venues.osmId)));
    const [artist] = await db().select().from(artists).where(eq(artists.name, show2.artist));
    // An evening setlist.fm knows nothing of at that venue.
    const evening = '2017-03-14';
    await alice.client.concerts.create.mutate({ date: evening, artist: { artistId: artist!.id }, venue: { venueId: venue!.id }, tour: PHISHING });

    const place = { latitude: venue!.latitude, longitude: venue!.longitude };
    const { result, concertId } = await matchEvent(bob.user.id, evening, place, new Date(Date.UTC(2017, 2, 14, 20, 0)));
    expect(result).toMatchObject({ outcome: 'needs_review' });
    const [row] = await db()
      .select()
      .from(concerts)
      .where(and(eq(concerts.userId, bob.user.id), eq(concerts.id, concertId!)));
    expect(row).toMatchObject({ status: 'needs_review', artistId: null, venueId: venue!.id, tour: null });

    const candidates = await bob.client.inbox.candidates.query({ target: { concertId: concertId! } });
    expect(candidates.suggestions).toEqual([
      {
        artist: { id: artist!.id, name: show2.artist },
        venue: { id: venue!.id, name: show0.venue.name, distanceMeters: 0 },
        otherUsers: 1,
        verified: false,
        source: 'other_users',
      },
    ]);
    expect(JSON.stringify(candidates)).not.toMatch(LEAKS);

    // Bob's own choice confirms it, with the shared facts only.
    await bob.client.inbox.resolve.mutate({ target: { concertId: concertId! }, choice: { artistId: artist!.id, venueId: venue!.id } });
    const [settled] = await db()
      .select()
      .from(concerts)
      .where(and(eq(concerts.userId, bob.user.id), eq(concerts.id, concertId!)));
    expect(settled).toMatchObject({ status: 'confirmed', artistId: artist!.id, venueId: venue!.id, tour: null });
  });
});

describe('names in the catalogue', () => {
  it('are stored without control, zero-width or bidi characters, so one name has one spelling', async () => {
    const start = new Date(Date.UTC(2016, 8, 9, 19, 0));
    const photoIds = await photosAt(alice.user.id, { latitude: 52.0907, longitude: 5.1214 }, start, 2);
    const { id } = await alice.client.concerts.create.mutate({
      date: '2016-09-09',
      artist: { artistName: ' Zero\u200BWidth\u00AD \u202Egnab\u202C\u0007 Band\uFEFF ' },
      venue: { venueName: 'Tivoli\u2066Vredenburg\u2069\r\nZaal', city: 'Utrecht\u200E' },
      tour: 'Tour\u0000 2016\u202D',
      notes: 'Line one\u202E\nline two\u200B',
      photoIds,
    });
    const concert = await alice.client.concerts.get.query({ id });
    expect(concert.artist!.name).toBe('ZeroWidth gnab Band');
    expect(concert.venue).toMatchObject({ name: 'TivoliVredenburg Zaal', city: 'Utrecht' });
    expect(concert).toMatchObject({ tour: 'Tour 2016', notes: 'Line one\nline two' });
    // The same name typed plainly is the same artist.
    const { id: again } = await alice.client.concerts.create.mutate({ date: '2016-09-10', artist: { artistName: 'ZeroWidth gnab Band' } });
    expect((await alice.client.concerts.get.query({ id: again })).artist!.id).toBe(concert.artist!.id);

    const blank = await trpcFailure(alice.client.concerts.create.mutate({ date: '2016-09-10', artist: { artistName: '\u200B\u202E\u2066\u0007' } }));
    expect(blank.data?.code).toBe('BAD_REQUEST');
  });
});

describe('concert dates', () => {
  it('refuses year 0 or 1 (anything before 1900) with a clear message, so the year filter accepts every year the timeline offers', async () => {
    for (const date of ['0001-01-01', '0000-06-15', '1899-12-31']) {
      const refused = await trpcFailure(alice.client.concerts.create.mutate({ date, artist: { artistName: 'Ancient Band' } }));
      expect(refused.data?.code, date).toBe('BAD_REQUEST');
      expect(refused.message, date).toMatch(/from 1900 on/);
    }
    const { id } = await alice.client.concerts.create.mutate({ date: '1900-01-01', artist: { artistName: 'Early Band' } });
    const refused = await trpcFailure(alice.client.concerts.update.mutate({ id, date: '0001-01-01' }));
    expect(refused.message).toMatch(/from 1900 on/);
    expect((await db().select().from(concerts).where(eq(concerts.id, id)))[0]!.concertDate).toBe('1900-01-01');

    const years = await alice.client.concerts.years.query();
    expect(years.every(({ year }) => year >= 1900)).toBe(true);
    for (const { year, count } of years)
      expect((await alice.client.concerts.list.query({ year, limit: 100 })).items, String(year)).toHaveLength(count);
  });
});

describe('deleting an account', () => {
  it("removes the user's own artists and venues and keeps the shared ones and other users' concerts", async () => {
    const own = {
      artists: (await db().select({ id: artists.id }).from(artists).where(eq(artists.userId, alice.user.id))).map((row) => row.id),
      venues: (await db().select({ id: venues.id }).from(venues).where(eq(venues.userId, alice.user.id))).map((row) => row.id),
    };
    expect(own.artists.length).toBeGreaterThan(0);
    expect(own.venues.length).toBeGreaterThan(0);
    const bobBefore = await concertsOf(bob.user.id);

    await alice.client.auth.deleteAccount.mutate({ password: FAN_PASSWORD });

    expect(await db().select().from(artists).where(inArray(artists.id, own.artists))).toEqual([]);
    expect(await db().select().from(venues).where(inArray(venues.id, own.venues))).toEqual([]);
    expect(await concertsOf(bob.user.id)).toEqual(bobBefore);
    for (const show of world.manifest.concerts) {
      expect(await db().select({ id: artists.id }).from(artists).where(eq(artists.name, show.artist)), show.artist).toHaveLength(1);
    }
  });
});
