/**
 * Google Drive photos as the file path reads them: upright (Drive's `rotation`,
 * which the file path reads as the EXIF orientation) and at the instant they were
 * taken (Drive's time has no zone: the GPS position's, else the user's home zone).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photos } from '../../drizzle/schema/index.js';
import { appEnvFor, type FakeGoogle, startFakeGoogle } from '../fakes/fake-google.js';
import type { Child } from '../support/child-process.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

let google: FakeGoogle;
let app: RunningApp;
let worker: Child;

beforeAll(async () => {
  google = await startFakeGoogle({ images: 0, otherFiles: false });
  const env = testEnv({ DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')), ...appEnvFor(google, randomBytes(32).toString('hex')) });
  app = await startTestApp(env);
  worker = await startWorkerProcess(env);
});
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
  await google?.close();
});

async function visit(url: string, cookie?: string) {
  return fetch(url, { redirect: 'manual', headers: cookie && url.startsWith(app.url) ? { cookie } : {} });
}

describe('Google Drive photos, upright and in their zone', () => {
  it("stores a portrait photo upright, and reads a time without GPS in the user's home zone, as the file's own offset says", async () => {
    // The iPhone 13 Pro Max HEIC of tests/fixtures/real-media: 12:55:41 at +01:00 in its EXIF, no GPS, portrait (Orientation 6).
    // Drive lists it as stored, 4:3 landscape with rotation 1, its time without the offset.
    const portrait = await google.state.addImage({
      name: 'IMG_0042.HEIC',
      size: { width: 640, height: 480 },
      time: '2022:02:16 12:55:41',
      location: null,
      rotation: 1,
    });
    // With GPS (Paradiso, Amsterdam), the position's zone wins over the home zone.
    const placed = await google.state.addImage({
      name: 'IMG_0043.JPG',
      size: { width: 640, height: 480 },
      time: '2022:07:16 21:30:00',
      location: { latitude: 52.3622, longitude: 4.884 },
    });
    // Drive knows no time for it: dated by its modification time, a guess.
    const undated = await google.state.addImage({ name: 'scan.png', size: { width: 640, height: 480 }, time: null, location: null });

    const { client, jar } = trpcHttpClient(app.url);
    const user = await client.auth.signup.mutate({ email: uniqueEmail('drive-zone'), password: 'correct horse battery', name: 'Drive' });
    await client.notifications.updatePreferences.mutate({ timeZone: 'Europe/Paris' });
    const consent = await visit(`${app.url}/api/sources/google/connect`, jar.cookie);
    const callback = await visit(consent.headers.get('location')!);
    await visit(callback.headers.get('location')!, jar.cookie);
    const [source] = await client.sources.list.query();
    const final = (await watchScan(client, (await client.scans.start.mutate({ sourceId: source!.id })).scanId)).at(-1)!;
    expect(final).toMatchObject({ status: 'completed', counts: { listed: 3, processed: 3, failed: 0 } });
    expect(google.state.downloads()).toHaveLength(0);

    const rows = new Map((await app.database.db.select().from(photos).where(eq(photos.userId, user.id))).map((row) => [row.sourceFileId, row]));
    const upright = rows.get(portrait.id)!;
    // 11:55:41Z: the instant the file path reads from the EXIF offset (+01:00 is Paris in February).
    expect(upright).toMatchObject({
      width: 480,
      height: 640,
      orientation: 6,
      takenAt: new Date('2022-02-16T11:55:41Z'),
      timeZone: 'Europe/Paris',
      takenAtSource: 'library',
    });
    const thumbnail = await sharp((await app.services.storage.read(upright.thumbnailKey!))!).metadata();
    expect(thumbnail.height!).toBeGreaterThan(thumbnail.width!);

    expect(rows.get(placed.id)).toMatchObject({ width: 640, height: 480, takenAt: new Date('2022-07-16T19:30:00Z'), timeZone: 'Europe/Amsterdam' });
    expect(rows.get(undated.id)).toMatchObject({ takenAt: new Date(undated.modifiedTime), takenAtSource: 'file-time', timeZone: 'Europe/Paris' });
  });
});
