/**
 * The whole way from photos to concerts: the demo library scanned by a real worker,
 * venues found through the Overpass stand-in, concerts and setlists through the
 * setlist.fm stand-in, checked against the library's manifest (the ground truth).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artists, concerts, photos, venues } from '../../drizzle/schema/index.js';
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

const API_KEY = 'demo-setlistfm-key';

let app: RunningApp;
let worker: Child;
let setlistfm: SetlistFmStandIn;
let overpass: OverpassStandIn;
let manifest: DemoLibraryManifest;
let libraryRoot: string;

beforeAll(async () => {
  libraryRoot = await mkdtemp(join(tmpdir(), 'ch-matching-'));
  manifest = await generateDemoLibrary(join(libraryRoot, 'demo'), { concerts: 10, photosPerConcert: 4 });
  setlistfm = await startSetlistFmStandIn({ manifest, apiKey: API_KEY });
  overpass = await startOverpassStandIn();
  const env = testEnv({
    LOCAL_IMPORT_ROOTS: libraryRoot,
    DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')),
    SETLISTFM_API_URL: setlistfm.url,
    SETLISTFM_API_KEY: API_KEY,
    OVERPASS_URL: overpass.url,
  });
  app = await startTestApp(env);
  worker = await startWorkerProcess(env);
}, 180_000);

afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
  await setlistfm?.close();
  await overpass?.close();
});

async function importDemoLibrary() {
  const { client } = trpcHttpClient(app.url);
  const user = await client.auth.signup.mutate({ email: uniqueEmail('matching'), password: 'correct horse battery', name: 'Fan' });
  const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: join(libraryRoot, 'demo') });
  const { scanId } = await client.scans.start.mutate({ sourceId });
  const snapshots = await watchScan(client, scanId, 240_000);
  return { user, client, snapshots };
}

describe('from the demo library to a concert history', () => {
  it('finds every concert with its venue, city, local date, headliner, supporting acts and setlist', async () => {
    const { user, snapshots } = await importDemoLibrary();
    const final = snapshots.at(-1)!;
    expect(final.status).toBe('completed');
    // The live feed went through matching, evening by evening.
    expect(snapshots.some((s) => s.stage === 'matching')).toBe(true);

    const db = app.database.db;
    const rows = await db
      .select({ concert: concerts, artist: artists.name, mbid: artists.mbid, venue: venues.name, venueCity: venues.city })
      .from(concerts)
      .leftJoin(artists, eq(artists.id, concerts.artistId))
      .leftJoin(venues, eq(venues.id, concerts.venueId))
      .where(eq(concerts.userId, user.id));
    expect(rows).toHaveLength(manifest.concerts.length);

    for (const show of manifest.concerts) {
      const row = rows.find((r) => r.concert.concertDate === show.localDate);
      expect(row, `concert of ${show.localDate}`).toBeDefined();
      const { concert } = row!;
      expect(concert.status).toBe('confirmed');
      expect(row!.artist).toBe(show.artist);
      expect(row!.mbid).toMatch(/^[0-9a-f-]{36}$/);
      expect(row!.venue).toBe(show.venue.name);
      expect(concert.city).toBe(show.venue.city);
      expect(concert.countryCode).toBe(show.venue.countryCode);
      expect(concert.tour).toBe(show.tour);
      expect(concert.supportingActs?.map((act) => act.name).sort()).toEqual(show.supportingActs.map((act) => act.name).sort());
      expect(concert.setlist?.map((set) => set.songs.map((song) => [song.name, song.tape ?? false]))).toEqual(
        show.setlist.map((set) => set.songs.map((song) => [song.name, song.tape ?? false])),
      );
      expect(concert.setlistfmUrl).toMatch(/^https:\/\/www\.setlist\.fm\//);

      // Every readable photo of the show is in it: after-midnight photos and photos without GPS included.
      const showPhotos = await db
        .select({ path: photos.sourceFileId, concertId: photos.concertId })
        .from(photos)
        .where(and(eq(photos.userId, user.id), inArray(photos.sourceFileId, show.files), eq(photos.status, 'ready')));
      expect(showPhotos.length).toBe(show.files.length);
      expect(showPhotos.filter((p) => p.concertId !== concert.id)).toEqual([]);
    }

    const special = (kind: string) => manifest.specialFiles.filter((file) => file.kind === kind).length;
    expect(special('after-midnight')).toBeGreaterThan(0);
    expect(special('no-gps')).toBeGreaterThan(0);
    const readable = manifest.files.length - special('broken');
    expect(final.counts.matched).toBe(readable);
  });

  it('asks the outside world once per venue: a second user at the same shows is matched from the database', async () => {
    const setlistfmBefore = setlistfm.requests.length;
    const overpassBefore = overpass.requests.length;
    const { user, snapshots } = await importDemoLibrary();
    expect(snapshots.at(-1)!.status).toBe('completed');
    const rows = await app.database.db.select().from(concerts).where(eq(concerts.userId, user.id));
    expect(rows.filter((row) => row.status === 'confirmed')).toHaveLength(manifest.concerts.length);
    expect(setlistfm.requests.length).toBe(setlistfmBefore);
    expect(overpass.requests.length).toBe(overpassBefore);
  });
});
