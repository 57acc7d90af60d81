import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artists, concerts, photos, venueAliases, venues } from '../../drizzle/schema/index.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { signedUpClient, trpcFailure as failure } from '../support/trpc-http-client.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp(testEnv({ DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')) }));
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.database.db;
const PARADISO = { latitude: 52.3622, longitude: 4.884 };
// Artists and venues are shared by every test file of the run: names carry this run's tag.
const tag = `t${process.pid.toString(36)}${Date.now().toString(36)}`;

const newUser = (label = 'concerts') => signedUpClient(app.url, label);

const codeOf = async (promise: Promise<unknown>) => (await failure(promise)).data?.code;

let fileCounter = 0;
type PhotoFixture = Partial<typeof photos.$inferInsert>;

/** Photos as ingest leaves them (ready, with a thumbnail), inserted directly. */
async function insertPhotos(userId: number, fixtures: PhotoFixture[]): Promise<number[]> {
  const ids: number[] = [];
  for (const fixture of fixtures) {
    fileCounter += 1;
    const [result] = await db()
      .insert(photos)
      .values({
        userId,
        sourceId: 1,
        sourceFileId: `fixture/${fileCounter}.jpg`,
        fileName: `IMG_${fileCounter}.JPG`,
        status: 'ready',
        width: 4000,
        height: 3000,
        takenAt: new Date(Date.UTC(2019, 6, 5, 19, 0, fileCounter)),
        thumbnailKey: `users/${userId}/thumbnails/${fileCounter}.webp`,
        ...fixture,
      });
    ids.push(result.insertId);
  }
  return ids;
}

async function insertVenue(name: string, city: string | null, place = PARADISO, countryCode: string | null = 'NL') {
  const [result] = await db()
    .insert(venues)
    .values({ name: `${name} ${tag}`, city, countryCode, ...place });
  return result.insertId;
}

async function insertConcert(userId: number, concert: Partial<typeof concerts.$inferInsert> = {}) {
  const [result] = await db()
    .insert(concerts)
    .values({ userId, concertDate: '2019-07-05', status: 'needs_review', ...concert });
  return result.insertId;
}

const photoRows = (ids: number[]) =>
  db()
    .select({ id: photos.id, concertId: photos.concertId, eventKey: photos.eventKey, starred: photos.starred })
    .from(photos)
    .where(inArray(photos.id, ids));
const concertRow = async (id: number) => (await db().select().from(concerts).where(eq(concerts.id, id)))[0];

describe('the concert timeline', () => {
  it('pages through a long history newest first, filters by year and searches artist, venue and city', async () => {
    const { client } = await newUser();
    const paradiso = await insertVenue('Paradiso', 'Amsterdam');
    const created: Array<{ id: number; date: string }> = [];
    for (let i = 0; i < 27; i += 1) {
      // Three years of nine concerts; the last two share an evening, so the id breaks the tie.
      const date = i === 26 ? created[25]!.date : `${2017 + Math.floor(i / 9)}-${String((i % 9) + 1).padStart(2, '0')}-1${i % 10}`;
      const artist = i === 0 ? `Hollow Meridian ${tag}` : i === 3 ? `100% Static ${tag}` : `Band ${i} ${tag}`;
      const { id } = await client.concerts.create.mutate({
        date,
        artist: { artistName: artist },
        ...(i === 1 ? { venue: { venueId: paradiso } } : { city: i === 2 ? 'Utrecht' : 'Rotterdam' }),
      });
      created.push({ id, date });
    }
    const expected = [...created].sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id).map((c) => c.id);

    const seen: number[] = [];
    const pageSizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.concerts.list.query({ limit: 10, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((item) => item.id));
      pageSizes.push(page.items.length);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pageSizes).toEqual([10, 10, 7]);
    expect(seen).toEqual(expected);

    const of2018 = await client.concerts.list.query({ year: 2018, limit: 100 });
    expect(of2018.items).toHaveLength(9);
    expect(of2018.items.every((item) => item.concertDate.startsWith('2018-'))).toBe(true);
    expect(of2018.nextCursor).toBeNull();

    const search = async (q: string) => (await client.concerts.list.query({ q })).items.map((item) => item.id);
    expect(await search('meridian')).toEqual([created[0]!.id]);
    expect(await search('PARADISO')).toEqual([created[1]!.id]);
    expect(await search('amsterdam')).toEqual([created[1]!.id]);
    expect(await search('utrecht')).toEqual([created[2]!.id]);
    // Wildcards match themselves.
    expect(await search('%')).toEqual([created[3]!.id]);
    expect(await search('_')).toEqual([]);

    const [first] = (await client.concerts.list.query({ q: 'paradiso' })).items;
    expect(first).toMatchObject({
      status: 'confirmed',
      artist: { name: `Band 1 ${tag}` },
      venue: { id: paradiso, name: `Paradiso ${tag}` },
      city: 'Amsterdam',
      countryCode: 'NL',
      photoCount: 0,
      photos: [],
    });

    expect(await codeOf(client.concerts.list.query({ cursor: 'bm90IGEgY3Vyc29y' }))).toBe('BAD_REQUEST');
    expect(await codeOf(client.concerts.list.query({ cursor: Buffer.from('["2019-02-30",1]').toString('base64url') }))).toBe('BAD_REQUEST');
  });
});

describe('making and editing concerts', () => {
  it('creates a concert from photos: they move in, it stands where they were, and a venue named by the user is made there', async () => {
    const { client, user } = await newUser();
    const near = { ...PARADISO, timeZone: 'Europe/Amsterdam', eventKey: `evt-${tag}` };
    const shown = await insertPhotos(user.id, [
      ...Array.from({ length: 7 }, () => near),
      { ...near, latitude: PARADISO.latitude + 0.0004, starred: true },
    ]);
    const [hidden] = await insertPhotos(user.id, [{ ...near, hidden: true }]);
    const [failed] = await insertPhotos(user.id, [{ status: 'failed', thumbnailKey: null }]);

    const { id } = await client.concerts.create.mutate({
      date: '2019-07-05',
      artist: { artistName: `Paper Lanterns ${tag}` },
      venue: { venueName: 'Paradiso Noord', city: 'Amsterdam', countryCode: 'nl' },
      notes: 'Front row',
      photoIds: [...shown, hidden!],
    });

    const moved = await photoRows([...shown, hidden!, failed!]);
    expect(
      moved
        .filter((photo) => photo.concertId === id)
        .map((photo) => photo.id)
        .sort(),
    ).toEqual([...shown, hidden!].sort());
    expect(moved.every((photo) => photo.eventKey === null)).toBe(true);

    const concert = await client.concerts.get.query({ id });
    expect(concert).toMatchObject({
      id,
      concertDate: '2019-07-05',
      status: 'confirmed',
      artist: { name: `Paper Lanterns ${tag}`, mbid: null },
      venue: { name: 'Paradiso Noord', city: 'Amsterdam', countryCode: 'NL' },
      city: 'Amsterdam',
      countryCode: 'NL',
      notes: 'Front row',
      timeZone: 'Europe/Amsterdam',
      setlist: null,
      photoCount: 8,
    });
    expect(concert.latitude).toBeCloseTo(PARADISO.latitude + 0.0004 / 9, 9);
    expect(concert.venue!.latitude).toBeCloseTo(concert.latitude!, 9);
    const [alias] = await db().select().from(venueAliases).where(eq(venueAliases.userId, user.id));
    expect(alias).toMatchObject({ venueId: concert.venue!.id });

    // The timeline's strip: six photos, the starred one first.
    const [item] = (await client.concerts.list.query({})).items;
    expect(item).toMatchObject({ id, photoCount: 8 });
    expect(item!.photos).toHaveLength(6);
    expect(item!.photos[0]!.id).toBe(shown.at(-1));
    expect(item!.photos[0]!.thumbnailUrl).toMatch(/^\/media\/users\/\d+\/thumbnails\/.+\?e=\d+&s=[\w-]+$/);

    // The same name in other letters is the same artist.
    const { id: again } = await client.concerts.create.mutate({ date: '2019-07-06', artist: { artistName: `PAPER LANTERNS ${tag}` } });
    expect((await client.concerts.get.query({ id: again })).artist!.id).toBe(concert.artist!.id);
  });

  it('refuses dates that are not real or lie in the future, and a new venue where there is no place to put it', async () => {
    const { client } = await newUser();
    const artist = { artistName: `Moth Radio ${tag}` };
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(await codeOf(client.concerts.create.mutate({ date: '2023-02-30', artist }))).toBe('BAD_REQUEST');
    expect(await codeOf(client.concerts.create.mutate({ date: nextWeek, artist }))).toBe('BAD_REQUEST');
    expect(await codeOf(client.concerts.create.mutate({ date: '2023-02-28', artist: { artistId: 999_999_999 } }))).toBe('NOT_FOUND');
    const noPlace = await failure(client.concerts.create.mutate({ date: '2023-02-28', artist, venue: { venueName: 'Somewhere' } }));
    expect(noPlace.data?.code).toBe('BAD_REQUEST');
    expect(noPlace.message).toMatch(/new venue needs a place/);
    expect(await codeOf(client.concerts.create.mutate({ date: '2023-02-28', artist, venue: { venueId: 999_999_999 } }))).toBe('NOT_FOUND');
  });

  it("edits a concert by hand: confirmed, the old show's setlist dropped, and a new venue remembered for where the photos were", async () => {
    const { client, user } = await newUser();
    const wrong = await insertVenue('Melkweg', 'Amsterdam', { latitude: 52.3647, longitude: 4.8813 });
    const right = await insertVenue('Paradiso', 'Amsterdam');
    const id = await insertConcert(user.id, {
      venueId: wrong,
      venueConfidence: 0.6,
      city: 'Amsterdam',
      setlist: [{ songs: [{ name: 'Wrong Song' }] }],
      setlistfmId: 'abc123',
      setlistfmUrl: 'https://www.setlist.fm/setlist/x.html',
      latitude: PARADISO.latitude,
      longitude: PARADISO.longitude,
      eventKey: `evt-edit-${tag}`,
    });

    await expect(client.concerts.update.mutate({ id, venue: { venueId: right }, notes: 'Great night' })).resolves.toEqual({ ok: true });
    expect(await concertRow(id)).toMatchObject({
      venueId: right,
      venueConfidence: null,
      status: 'confirmed',
      notes: 'Great night',
      setlist: null,
      setlistfmId: null,
      setlistfmUrl: null,
      eventKey: `evt-edit-${tag}`,
    });
    const aliases = await db().select().from(venueAliases).where(eq(venueAliases.userId, user.id));
    expect(aliases).toEqual([expect.objectContaining({ venueId: right, ...PARADISO })]);

    // No new venue, no new alias; a date and an artist by name change too.
    await client.concerts.update.mutate({
      id,
      venue: { venueId: right },
      date: '2019-07-04',
      artist: { artistName: `Static Bloom ${tag}` },
      tour: 'Tour',
    });
    expect(await db().select().from(venueAliases).where(eq(venueAliases.userId, user.id))).toHaveLength(1);
    const edited = await client.concerts.get.query({ id });
    expect(edited).toMatchObject({ concertDate: '2019-07-04', artist: { name: `Static Bloom ${tag}` }, tour: 'Tour', venue: { id: right } });

    // A venue named by hand is put where the photos were.
    await client.concerts.update.mutate({ id, venue: { venueName: 'Paradiso Kleine Zaal' } });
    const named = await client.concerts.get.query({ id });
    expect(named.venue).toMatchObject({ name: 'Paradiso Kleine Zaal', city: 'Amsterdam', ...PARADISO });
    expect(await db().select().from(venueAliases).where(eq(venueAliases.userId, user.id))).toHaveLength(2);

    const unplaced = await insertConcert(user.id);
    expect(await codeOf(client.concerts.update.mutate({ id: unplaced, venue: { venueName: 'Nowhere' } }))).toBe('BAD_REQUEST');
    expect(await codeOf(client.concerts.update.mutate({ id, artist: { artistId: 999_999_999 } }))).toBe('NOT_FOUND');
  });

  it('merges concerts: photos move to the target, its blanks are filled from the first source that has them, the sources are gone', async () => {
    const { client, user } = await newUser();
    const [artist] = await db()
      .insert(artists)
      .values({ name: `Merge Target ${tag}` });
    const target = await insertConcert(user.id, { artistId: artist.insertId, notes: null });
    const first = await insertConcert(user.id, {
      setlist: [{ songs: [{ name: 'Opener' }] }],
      setlistfmId: 'set1',
      setlistfmUrl: 'https://www.setlist.fm/setlist/1.html',
      notes: 'from the first',
      eventKey: `evt-a-${tag}`,
    });
    const second = await insertConcert(user.id, { notes: 'from the second', tour: 'Second Tour', eventKey: `evt-b-${tag}` });
    const ofTarget = await insertPhotos(user.id, [{ concertId: target }, { concertId: target }]);
    const ofFirst = await insertPhotos(user.id, [{ concertId: first, eventKey: `evt-a-${tag}` }]);
    const ofSecond = await insertPhotos(user.id, [{ concertId: second, eventKey: `evt-b-${tag}` }]);

    expect(await codeOf(client.concerts.merge.mutate({ targetId: target, sourceIds: [target] }))).toBe('BAD_REQUEST');
    await expect(client.concerts.merge.mutate({ targetId: target, sourceIds: [first, second] })).resolves.toEqual({ ok: true });

    expect(
      await db()
        .select()
        .from(concerts)
        .where(inArray(concerts.id, [first, second])),
    ).toEqual([]);
    expect(await concertRow(target)).toMatchObject({
      artistId: artist.insertId,
      status: 'confirmed',
      setlist: [{ songs: [{ name: 'Opener' }] }],
      setlistfmId: 'set1',
      notes: 'from the first',
      tour: 'Second Tour',
      eventKey: `evt-a-${tag}`,
    });
    const moved = await photoRows([...ofTarget, ...ofFirst, ...ofSecond]);
    expect(moved.every((photo) => photo.concertId === target)).toBe(true);
    // The first source's event is now the target's; the second's photos no longer point at an event.
    expect(moved.find((photo) => photo.id === ofFirst[0])!.eventKey).toBe(`evt-a-${tag}`);
    expect(moved.find((photo) => photo.id === ofSecond[0])!.eventKey).toBeNull();
    expect((await client.concerts.get.query({ id: target })).photoCount).toBe(4);
  });

  it('deletes a concert and keeps its photos, unmatched and left alone by automatic matching', async () => {
    const { client, user } = await newUser();
    const id = await insertConcert(user.id, { eventKey: `evt-del-${tag}` });
    const ids = await insertPhotos(user.id, [
      { concertId: id, eventKey: `evt-del-${tag}` },
      { concertId: id, eventKey: `evt-del-${tag}` },
    ]);

    await expect(client.concerts.delete.mutate({ id })).resolves.toEqual({ ok: true });
    expect(await concertRow(id)).toBeUndefined();
    expect(await photoRows(ids)).toEqual(
      expect.arrayContaining(ids.map((photoId) => ({ id: photoId, concertId: null, eventKey: null, starred: false }))),
    );
    const unmatched = await client.photos.list.query({ unmatched: true });
    expect(unmatched.items.map((photo) => photo.id)).toEqual(ids);
    expect(await codeOf(client.concerts.get.query({ id }))).toBe('NOT_FOUND');
  });
});

describe('sorting photos', () => {
  it('lists unmatched photos page by page, moves them into a concert and out again, and stars them', async () => {
    const { client, user } = await newUser();
    const at = (minute: number) => new Date(Date.UTC(2021, 4, 1, 20, minute));
    const [late, early, undated, middle] = (await insertPhotos(user.id, [
      { takenAt: at(30), ...PARADISO },
      { takenAt: at(10), ...PARADISO },
      { takenAt: null, thumbnailKey: null },
      { takenAt: at(20) },
    ])) as [number, number, number, number];
    await insertPhotos(user.id, [{ hidden: true }, { status: 'failed' }, { status: 'pending' }]);
    const elsewhere = await insertConcert(user.id);
    await insertPhotos(user.id, [{ concertId: elsewhere }]);

    const seen: Array<{ id: number; thumbnailUrl: string | null }> = [];
    let cursor: string | undefined;
    do {
      const page = await client.photos.list.query({ unmatched: true, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.map((photo) => photo.id)).toEqual([early, middle, late, undated]);
    expect(seen.map((photo) => photo.thumbnailUrl !== null)).toEqual([true, true, true, false]);
    expect(seen[0]).toMatchObject({ width: 4000, height: 3000, starred: false, concertId: null, fileName: expect.stringMatching(/^IMG_/) });
    expect(seen[0]).not.toHaveProperty('thumbnailKey');

    // A concert made empty takes the place of the photos put in it, so a venue can be named there.
    const { id } = await client.concerts.create.mutate({ date: '2021-05-01', artist: { artistName: `Moth Radio ${tag}` } });
    await expect(client.photos.move.mutate({ photoIds: [late, early], concertId: id })).resolves.toEqual({ ok: true });
    expect((await photoRows([late, early])).every((photo) => photo.concertId === id)).toBe(true);
    expect((await client.photos.list.query({ concertId: id })).items.map((photo) => photo.id)).toEqual([early, late]);
    expect(await concertRow(id)).toMatchObject(PARADISO);
    await client.concerts.update.mutate({ id, venue: { venueName: 'The Spot' } });

    await client.photos.move.mutate({ photoIds: [late], concertId: null });
    expect((await photoRows([late]))[0]!.concertId).toBeNull();
    expect((await client.photos.list.query({ unmatched: true })).items.map((photo) => photo.id)).toEqual([middle, late, undated]);

    await expect(client.photos.star.mutate({ id: early, starred: true })).resolves.toEqual({ ok: true });
    expect((await photoRows([early]))[0]!.starred).toBe(true);
    await client.photos.star.mutate({ id: early, starred: false });
    expect((await photoRows([early]))[0]!.starred).toBe(false);
  });
});

describe('artist search', () => {
  it('finds artists whose name starts with the words first, then those containing them', async () => {
    const { client } = await newUser();
    await client.concerts.create.mutate({ date: '2020-02-02', artist: { artistName: `Radio ${tag}moth Collective` } });
    await client.concerts.create.mutate({ date: '2020-02-01', artist: { artistName: `${tag}moth Radio` } });
    const found = await client.artists.search.query({ q: `${tag}moth` });
    expect(found.map((artist) => artist.name)).toEqual([`${tag}moth Radio`, `Radio ${tag}moth Collective`]);
    expect(found[0]).toMatchObject({ id: expect.any(Number), mbid: null });
    expect(await client.artists.search.query({ q: `collective ${tag}moth` })).toEqual([found[1]]);
  });
});

describe("another user's concerts and photos", () => {
  it('are out of reach of every procedure, for reading and for writing', async () => {
    const owner = await newUser('owner');
    const stranger = await newUser('stranger');
    const [photo, loose] = (await insertPhotos(owner.user.id, [PARADISO, {}])) as [number, number];
    const { id: concert } = await owner.client.concerts.create.mutate({
      date: '2019-07-05',
      artist: { artistName: `Owner Band ${tag}` },
      photoIds: [photo],
    });
    const [strangerPhoto] = (await insertPhotos(stranger.user.id, [{}])) as [number];
    const { id: own } = await stranger.client.concerts.create.mutate({ date: '2019-07-05', artist: { artistName: `Stranger Band ${tag}` } });
    const before = { concert: await concertRow(concert), photos: await photoRows([photo, loose]) };

    const c = stranger.client;
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['concerts.get', () => c.concerts.get.query({ id: concert })],
      ['concerts.update', () => c.concerts.update.mutate({ id: concert, notes: 'mine now' })],
      ['concerts.delete', () => c.concerts.delete.mutate({ id: concert })],
      ['concerts.merge (theirs into mine)', () => c.concerts.merge.mutate({ targetId: own, sourceIds: [concert] })],
      ['concerts.merge (mine into theirs)', () => c.concerts.merge.mutate({ targetId: concert, sourceIds: [own] })],
      ['concerts.create (their photos)', () => c.concerts.create.mutate({ date: '2019-07-05', artist: { artistName: 'X' }, photoIds: [loose] })],
      ['photos.list', () => c.photos.list.query({ concertId: concert })],
      ['photos.star', () => c.photos.star.mutate({ id: photo, starred: true })],
      ['photos.move (their photo to my concert)', () => c.photos.move.mutate({ photoIds: [loose], concertId: own })],
      ['photos.move (their photo out)', () => c.photos.move.mutate({ photoIds: [photo], concertId: null })],
      ['photos.move (my photo to their concert)', () => c.photos.move.mutate({ photoIds: [strangerPhoto], concertId: concert })],
    ];
    for (const [name, attempt] of attempts) expect(await codeOf(attempt()), name).toBe('NOT_FOUND');

    expect((await c.concerts.list.query({})).items.map((item) => item.id)).toEqual([own]);
    expect((await c.photos.list.query({ unmatched: true })).items.map((item) => item.id)).toEqual([strangerPhoto]);
    expect(await concertRow(concert)).toEqual(before.concert);
    expect(await photoRows([photo, loose])).toEqual(before.photos);
    expect(
      (
        await db()
          .select()
          .from(concerts)
          .where(and(eq(concerts.userId, stranger.user.id)))
      ).map((row) => row.id),
    ).toEqual([own]);
  });
});
