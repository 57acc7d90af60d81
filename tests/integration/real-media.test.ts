/**
 * Real phones' and cameras' files (tests/fixtures/real-media: every HEIC of the
 * shared corpus, the GPS-glitch JPEG, files dated only by XMP, IPTC, the GPS stamp
 * or IFD0 DateTime) through the real pipeline: a server folder and a browser
 * upload scanned by a real worker process into MariaDB and local storage. Dates
 * and positions are compared with ExifTool's reading (within a second, within 10 m).
 */
import { copyFile, mkdir, mkdtemp, readFile, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photos } from '../../drizzle/schema/index.js';
import {
  expectedCapture,
  expectedPosition,
  hasImpossiblePosition,
  isHeif,
  metresBetween,
  type RealFile,
  realFile,
  realFiles,
  uprightSize,
} from '../fixtures/real-media/truth.js';
import type { Child } from '../support/child-process.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

/** Every copied file's modification time: the date of files that carry none, later than any capture in the corpus. */
const FILE_TIME = new Date('2024-05-01T10:00:00.000Z');
const HOME_ZONE = 'Europe/Lisbon';
/** ExifTool's test file with boxes and metadata but no coded picture. */
const PICTURELESS = 'exiftool/QuickTime.heic';

let app: RunningApp;
let worker: Child;
let importRoot: string;

beforeAll(async () => {
  importRoot = await mkdtemp(join(tmpdir(), 'ch-real-media-'));
  const env = testEnv({ LOCAL_IMPORT_ROOTS: importRoot, LOCAL_IMPORT_SHARED: 'false', DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')) });
  app = await startTestApp(env);
  worker = await startWorkerProcess(env);
});
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
});

async function newUser(label: string) {
  const { client, jar } = trpcHttpClient(app.url);
  const user = await client.auth.signup.mutate({ email: uniqueEmail(label), password: 'correct horse battery', name: 'Real' });
  await client.notifications.updatePreferences.mutate({ timeZone: HOME_ZONE });
  return { client, jar, user };
}

/** The file's name in a flat folder: its corpus path with / as _. */
const flatName = (file: RealFile) => file.path.replaceAll('/', '_');

type PhotoRow = typeof photos.$inferSelect;

async function expectLikeExifTool(file: RealFile, row: PhotoRow) {
  expect(row.status, file.path).toBe('ready');
  const expected = expectedCapture(file);
  if (expected) {
    expect(row.takenAtSource, file.path).toBe(expected.source);
    expect(Math.abs(row.takenAt!.getTime() - expected.instant.getTime()), file.path).toBeLessThanOrEqual(1000);
    expect(row.timeZone !== null, file.path).toBe(expected.zoned);
  } else {
    // Nothing in the file: dated by the file's time, marked as a guess, in the home zone when there is no position.
    expect(row, file.path).toMatchObject({ takenAt: FILE_TIME, takenAtSource: 'file-time' });
    if (!expectedPosition(file)) expect(row.timeZone, file.path).toBe(HOME_ZONE);
  }
  const position = expectedPosition(file);
  if (position) {
    expect(metresBetween(position, { latitude: row.latitude!, longitude: row.longitude! }), file.path).toBeLessThanOrEqual(10);
  } else {
    expect([row.latitude, row.longitude], file.path).toEqual([null, null]);
  }
  expect(row.metadataNotes !== null, file.path).toBe(hasImpossiblePosition(file));
}

/** The stored thumbnail, decoded: a real picture of the photo's upright shape, 400 px wide (or the photo's width when narrower). */
async function expectUprightThumbnail(file: RealFile, row: PhotoRow) {
  const { width, height } = uprightSize(file);
  expect({ width: row.width, height: row.height }, file.path).toEqual({ width, height });
  const thumbnail = await app.services.storage.read(row.thumbnailKey!);
  expect(thumbnail, file.path).not.toBeNull();
  const image = sharp(thumbnail!);
  const metadata = await image.metadata();
  const expectedWidth = Math.min(400, width);
  expect(metadata, file.path).toMatchObject({ format: 'webp', width: expectedWidth });
  // The thumbnail is resized from the ~2048 px preview, not the original: two roundings, so within a pixel.
  expect(Math.abs(metadata.height! - (expectedWidth * height) / width), file.path).toBeLessThanOrEqual(1);
  const { channels } = await image.stats();
  // Pixels of a photo, not a blank or single-colour frame.
  expect(Math.max(...channels.map((channel) => channel.stdev)), file.path).toBeGreaterThan(8);
}

describe('real files through the pipeline, from a server folder', () => {
  let rows: Map<string, PhotoRow>;

  beforeAll(async () => {
    const { client, user } = await newUser('real-folder');
    const folder = join(importRoot, String(user.id), 'phones');
    await mkdir(folder, { recursive: true });
    for (const file of realFiles) {
      const copy = join(folder, flatName(file));
      await copyFile(file.absolutePath, copy);
      await utimes(copy, FILE_TIME, FILE_TIME);
    }
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: folder });
    const { scanId } = await client.scans.start.mutate({ sourceId });
    const final = (await watchScan(client, scanId, 600_000)).at(-1)!;
    expect(final).toMatchObject({ status: 'completed', counts: { listed: realFiles.length, processed: realFiles.length - 1, failed: 1 } });
    const stored = await app.database.db.select().from(photos).where(eq(photos.userId, user.id));
    rows = new Map(stored.map((row) => [row.sourceFileId, row]));
  }, 900_000);

  const rowOf = (file: RealFile) => {
    const row = rows.get(flatName(file));
    expect(row, file.path).toBeDefined();
    return row!;
  };

  it('ingests every real HEIC with a thumbnail of its upright picture, and its date and GPS as ExifTool reads them', async () => {
    const heics = realFiles.filter((file) => isHeif(file) && file.path !== PICTURELESS);
    expect(heics).toHaveLength(13);
    for (const file of heics) {
      const row = rowOf(file);
      expect(row.mimeType, file.path).toBe('image/heic');
      await expectLikeExifTool(file, row);
      await expectUprightThumbnail(file, row);
    }
  });

  it('records the HEIC without a coded picture as failed with a reason, and the scan goes on', () => {
    const row = rowOf(realFile(PICTURELESS));
    expect(row).toMatchObject({ status: 'failed', failureReason: 'The HEIC file is truncated or corrupt (the HEVC data could not be decoded)' });
  });

  it('keeps the photo whose GPS latitude is 213.64, without a position, with a note saying why', () => {
    const row = rowOf(realFile('photoprism/meta__buggy_panorama.jpg'));
    expect(row).toMatchObject({ status: 'ready', latitude: null, longitude: null, takenAtSource: 'exif-original' });
    expect(row.metadataNotes).toBe('The GPS position (latitude 213.64001, longitude 103.48) is not on Earth: it was ignored');
  });

  it('dates every other file as ExifTool reads it: by XMP, IPTC, the GPS stamp or IFD0 DateTime when that is all it has, else by its file time', async () => {
    const others = realFiles.filter((file) => !isHeif(file));
    for (const file of others) await expectLikeExifTool(file, rowOf(file));
    const sources = new Set(others.map((file) => rowOf(file).takenAtSource));
    expect([...sources].sort()).toEqual(['exif-modified', 'exif-original', 'file-time', 'iptc', 'xmp']);
    expect(rowOf(realFile('exifr/png_IMG_20180725_163423-2.png'))).toMatchObject({ takenAtSource: 'xmp', mimeType: 'image/png' });
  });
});

describe('real files through the pipeline, from a browser upload', () => {
  it('keeps the GPS-glitch photo without its position and ingests an iPhone HEIC with its date', async () => {
    const { client, jar, user } = await newUser('real-upload');
    const glitch = realFile('photoprism/meta__buggy_panorama.jpg');
    const iphone = realFile('exif-samples/heic_mobile_iphone_13_pro_max.HEIC');
    const form = new FormData();
    form.append('photos', new Blob([new Uint8Array(await readFile(glitch.absolutePath))], { type: 'image/jpeg' }), basename(glitch.path));
    form.append('photos', new Blob([new Uint8Array(await readFile(iphone.absolutePath))], { type: 'image/heic' }), basename(iphone.path));
    const response = await fetch(`${app.url}/api/uploads`, {
      method: 'POST',
      body: form,
      headers: { origin: app.url, 'x-requested-with': 'concert-history', cookie: jar.cookie! },
    });
    expect(response.status).toBe(200);
    const { sourceId, accepted } = (await response.json()) as { sourceId: number; accepted: unknown[] };
    expect(accepted).toHaveLength(2);
    const final = (await watchScan(client, (await client.scans.start.mutate({ sourceId })).scanId, 300_000)).at(-1)!;
    expect(final).toMatchObject({ status: 'completed', counts: { listed: 2, processed: 2, failed: 0 } });

    const [kept] = await app.database.db
      .select()
      .from(photos)
      .where(and(eq(photos.userId, user.id), eq(photos.fileName, basename(glitch.path))));
    expect(kept).toMatchObject({ status: 'ready', latitude: null, longitude: null });
    expect(kept!.metadataNotes).toMatch(/not on Earth/);
    const [heic] = await app.database.db
      .select()
      .from(photos)
      .where(and(eq(photos.userId, user.id), eq(photos.fileName, basename(iphone.path))));
    // 12:55:41 at +01:00, as the phone wrote it.
    expect(heic).toMatchObject({ status: 'ready', mimeType: 'image/heic', width: 3024, height: 4032, takenAt: new Date('2022-02-16T11:55:41.762Z') });
  });
});
