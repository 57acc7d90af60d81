/**
 * The review inbox: a scan whose worker could reach neither setlist.fm nor
 * OpenStreetMap leaves every show "needs review", with its date and city; the
 * inbox then offers one-click candidates (the web server reaches the stand-ins)
 * and one click settles each show.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photos, venueAliases } from '../../drizzle/schema/index.js';
import { generateDemoLibrary } from '../../scripts/demo-library/generate.js';
import type { DemoLibraryManifest } from '../../scripts/demo-library/manifest.js';
import { startOverpassStandIn, type OverpassStandIn } from '../../scripts/stand-ins/overpass-stand-in.js';
import { startSetlistFmStandIn, type SetlistFmStandIn } from '../../scripts/stand-ins/setlistfm-stand-in.js';
import type { Child } from '../support/child-process.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

const API_KEY = 'inbox-setlistfm-key';

let app: RunningApp;
let worker: Child;
let setlistfm: SetlistFmStandIn;
let overpass: OverpassStandIn;
let manifest: DemoLibraryManifest;
let libraryRoot: string;

beforeAll(async () => {
  libraryRoot = await mkdtemp(join(tmpdir(), 'ch-inbox-'));
  manifest = await generateDemoLibrary(join(libraryRoot, 'demo'), { concerts: 5, photosPerConcert: 4 });
  setlistfm = await startSetlistFmStandIn({ manifest, apiKey: API_KEY, faults: { rateLimitPerSecond: 50 } });
  overpass = await startOverpassStandIn();
  const base = testEnv({ LOCAL_IMPORT_ROOTS: libraryRoot, DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')) });
  // The worker has no way out (an outage, or no API key yet); the web server reaches both stand-ins.
  worker = await startWorkerProcess(base);
  app = await startTestApp({ ...base, SETLISTFM_API_URL: setlistfm.url, SETLISTFM_API_KEY: API_KEY, OVERPASS_URL: overpass.url });
}, 180_000);

afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
  await setlistfm?.close();
  await overpass?.close();
});

async function importDemoLibrary() {
  const { client } = trpcHttpClient(app.url);
  const user = await client.auth.signup.mutate({ email: uniqueEmail('inbox'), password: 'correct horse battery', name: 'Reviewer' });
  const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: join(libraryRoot, 'demo') });
  const { scanId } = await client.scans.start.mutate({ sourceId });
  const final = (await watchScan(client, scanId, 240_000)).at(-1)!;
  expect(final.status).toBe('completed');
  return { user, client };
}

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return error.data?.code as string;
    throw error;
  }
  return 'OK';
}

describe('the review inbox', () => {
  // One user's import, settled step by step across the tests below (they run in order).
  let owner: Awaited<ReturnType<typeof importDemoLibrary>>;
  let events: Awaited<ReturnType<typeof owner.client.inbox.list.query>>['events'];
  const eventOf = (date: string) => events.find((e) => e.concertDate === date)!;

  beforeAll(async () => {
    owner = await importDemoLibrary();
    events = (await owner.client.inbox.list.query({ limit: 50 })).events;
  }, 240_000);

  it('holds every show as "needs review", with its date, city and photos', () => {
    expect(events).toHaveLength(manifest.concerts.length);
    for (const show of manifest.concerts) {
      const event = eventOf(show.localDate);
      expect(event, show.localDate).toBeDefined();
      expect(event.artist?.id ?? null).toBeNull();
      expect(event.countryCode).toBe(show.venue.countryCode);
      expect(event.city).toBeTruthy();
      expect(event.photoCount).toBe(show.files.length);
    }
  });

  it("answers NOT_FOUND for another user's concerts and photos", async () => {
    const event = events[0]!;
    const [photo] = await app.database.db.select({ id: photos.id }).from(photos).where(eq(photos.userId, owner.user.id)).limit(1);
    const { client: other } = trpcHttpClient(app.url);
    await other.auth.signup.mutate({ email: uniqueEmail('intruder'), password: 'correct horse battery', name: 'Other' });
    expect(await codeOf(other.inbox.candidates.query({ target: { concertId: event.id } }))).toBe('NOT_FOUND');
    expect(await codeOf(other.inbox.candidates.query({ target: { photoIds: [photo!.id] } }))).toBe('NOT_FOUND');
    expect(await codeOf(other.inbox.resolve.mutate({ target: { concertId: event.id }, choice: { concertId: event.id } }))).toBe('NOT_FOUND');
    expect(await codeOf(other.inbox.resolve.mutate({ target: { photoIds: [photo!.id] }, choice: { concertId: event.id } }))).toBe('NOT_FOUND');
    expect(await codeOf(other.inbox.resolve.mutate({ target: { concertId: event.id }, choice: { setlistId: 'abcd1234' } }))).toBe('NOT_FOUND');
    expect((await owner.client.concerts.get.query({ id: event.id })).status).toBe('needs_review');
  });

  it('settles a show by its venue in one click: remembered for that spot, and its concert looked up there', async () => {
    const show = manifest.concerts[0]!;
    const event = eventOf(show.localDate);
    const { venues } = await owner.client.inbox.candidates.query({ target: { concertId: event.id } });
    const venue = venues.find((v) => v.name === show.venue.name)!;
    expect(venue, show.venue.name).toBeDefined();

    await owner.client.inbox.resolve.mutate({ target: { concertId: event.id }, choice: { venueId: venue.id } });
    const concert = await owner.client.concerts.get.query({ id: event.id });
    expect(concert).toMatchObject({ status: 'confirmed', venue: { name: show.venue.name } });
    expect(concert.artist?.name).toBe(show.artist);
    const aliases = await app.database.db.select().from(venueAliases).where(eq(venueAliases.userId, owner.user.id));
    expect(aliases.map((alias) => alias.venueId)).toEqual([venue.id]);
  });

  it('settles every other show by its setlist.fm setlist in one click', async () => {
    for (const show of manifest.concerts.slice(1)) {
      const event = eventOf(show.localDate);
      const candidates = await owner.client.inbox.candidates.query({ target: { concertId: event.id } });
      expect(candidates.setlistfm).toBe('ok');
      expect(candidates.venues.map((v) => v.name)).toContain(show.venue.name);
      const headliner = candidates.setlists.find((s) => s.artist === show.artist && s.venue === show.venue.name);
      expect(headliner, `setlist of ${show.artist}`).toBeDefined();
      // setlist.fm's terms: a link to its page wherever its data is shown.
      expect(headliner!.url).toMatch(/^https:\/\/www\.setlist\.fm\//);

      await owner.client.inbox.resolve.mutate({ target: { concertId: event.id }, choice: { setlistId: headliner!.setlistId } });
      const concert = await owner.client.concerts.get.query({ id: event.id });
      expect(concert).toMatchObject({ status: 'confirmed', concertDate: show.localDate, tour: show.tour, city: show.venue.city });
      expect(concert.artist?.name).toBe(show.artist);
      expect(concert.venue?.name).toBe(show.venue.name);
      expect(concert.supportingActs?.map((act) => act.name).sort()).toEqual(show.supportingActs.map((act) => act.name).sort());
      expect(concert.setlist?.flatMap((set) => set.songs.map((song) => song.name))).toEqual(
        show.setlist.flatMap((set) => set.songs.map((song) => song.name)),
      );
      expect(concert.photoCount).toBe(show.files.length);
    }
    expect((await owner.client.inbox.list.query({ limit: 50 })).events).toEqual([]);
  });

  it('offers unmatched photos by evening and puts them back into their concert in one click', async () => {
    const show = manifest.concerts[1]!;
    const event = eventOf(show.localDate);
    const taken = await app.database.db
      .select({ id: photos.id })
      .from(photos)
      .where(and(eq(photos.userId, owner.user.id), eq(photos.concertId, event.id)));
    const photoIds = taken.slice(0, 3).map((p) => p.id);
    await owner.client.photos.move.mutate({ photoIds, concertId: null });

    const { unmatched } = await owner.client.inbox.list.query({ limit: 50 });
    expect(unmatched.total).toBe(3);
    const group = unmatched.groups.find((g) => g.evening === show.localDate)!;
    expect([...group.photoIds].sort()).toEqual([...photoIds].sort());

    const candidates = await owner.client.inbox.candidates.query({ target: { photoIds: group.photoIds } });
    expect(candidates.evening).toBe(show.localDate);
    expect(candidates.concerts.map((c) => c.id)).toContain(event.id);
    await owner.client.inbox.resolve.mutate({ target: { photoIds: group.photoIds }, choice: { concertId: event.id } });
    expect((await owner.client.inbox.list.query({ limit: 50 })).unmatched.total).toBe(0);
    expect((await owner.client.concerts.get.query({ id: event.id })).photoCount).toBe(show.files.length);
  });

  it("matches the next fan at those shows from the database, reusing the settled shows' public facts", async () => {
    const { client } = await importDemoLibrary();
    const { items } = await client.concerts.list.query({ limit: 50 });
    expect(items).toHaveLength(manifest.concerts.length);
    for (const show of manifest.concerts) {
      const item = items.find((i) => i.concertDate === show.localDate)!;
      expect(item).toMatchObject({ status: 'confirmed', artist: { name: show.artist }, venue: { name: show.venue.name } });
    }
  });
});
