/**
 * Phone videos through the real pipeline (a worker process, MariaDB, local storage):
 * every real MOV and MP4 of the corpus from a server folder, a Live Photo pair built
 * from a real iPhone HEIC and a real iPad MOV (the corpus has none: see
 * tests/fixtures/real-media/live-photo-pair.ts), a photo taken beside the iPad video,
 * and videos uploaded from the browser.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photos } from '../../drizzle/schema/index.js';
import { heicWithContentIdentifier, movWithContentIdentifier } from '../fixtures/real-media/live-photo-pair.js';
import { REAL_MEDIA_DIR } from '../fixtures/real-media/truth.js';
import type { Child } from '../support/child-process.js';
import { makeStagePhoto } from '../support/images.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

const FILE_TIME = new Date('2024-05-01T10:00:00.000Z');
const VIDEOS = join(REAL_MEDIA_DIR, 'videos');
const LIVE_ID = '6E1B1F5C-2A0D-4C8E-9D3B-7F2A5C9E1D40';
const IPAD_MOV = 'photoprism_video__quicktime-hvc1.mov';
/** The corpus's two QuickTime files whose pictures ffmpeg cannot reach: no media data at all, and pictures in another file. */
const WITHOUT_POSTER = ['exiftool_QuickTime.mov', 'photoprism_video__quicktime-jpeg.mov'];

let app: RunningApp;
let worker: Child;
let importRoot: string;

beforeAll(async () => {
  importRoot = await mkdtemp(join(tmpdir(), 'ch-videos-'));
  const env = testEnv({
    LOCAL_IMPORT_ROOTS: importRoot,
    LOCAL_IMPORT_SHARED: 'false',
    DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')),
    UPLOAD_MAX_FILE_MB: '1',
    UPLOAD_MAX_VIDEO_MB: '2',
  });
  app = await startTestApp(env);
  worker = await startWorkerProcess(env);
}, 120_000);
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
});

async function newUser(label: string) {
  const { client, jar } = trpcHttpClient(app.url);
  const user = await client.auth.signup.mutate({ email: uniqueEmail(label), password: 'correct horse battery', name: 'Video' });
  await client.notifications.updatePreferences.mutate({ timeZone: 'Europe/Lisbon' });
  return { client, jar, user };
}

type PhotoRow = typeof photos.$inferSelect;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('videos from a server folder', () => {
  let rows: Map<string, PhotoRow>;
  let videoNames: string[];

  beforeAll(async () => {
    const { client, user } = await newUser('videos-folder');
    const folder = join(importRoot, String(user.id), 'phone');
    await mkdir(folder, { recursive: true });
    videoNames = await readdir(VIDEOS);
    for (const name of videoNames) await copyFile(join(VIDEOS, name), join(folder, name));
    // A Live Photo: the HEIC and the MOV of one moment, with one content identifier.
    await writeFile(
      join(folder, 'IMG_0001.HEIC'),
      heicWithContentIdentifier(await readFile(join(REAL_MEDIA_DIR, 'photoprism/ex__iphone_15_pro.heic')), LIVE_ID),
    );
    await writeFile(join(folder, 'IMG_0001.MOV'), movWithContentIdentifier(await readFile(join(VIDEOS, IPAD_MOV)), LIVE_ID));
    // A photo taken a few minutes after the iPad video, a hundred metres away: the same evening at the same place.
    const photo = await makeStagePhoto({
      seed: 16,
      width: 800,
      height: 600,
      exif: { localTime: '2023-09-22T18:40:00', offset: '+02:00', latitude: 52.4601, longitude: 13.3228, make: 'Apple', model: 'iPhone 15 Pro' },
    });
    await writeFile(join(folder, 'IMG_0002.JPG'), photo);
    for (const name of await readdir(folder)) await utimes(join(folder, name), FILE_TIME, FILE_TIME);
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: folder });
    const { scanId } = await client.scans.start.mutate({ sourceId });
    const final = (await watchScan(client, scanId, 300_000)).at(-1)!;
    const files = videoNames.length + 3;
    expect(final).toMatchObject({ status: 'completed', counts: { listed: files, processed: files, failed: 0 } });
    const stored = await app.database.db.select().from(photos).where(eq(photos.userId, user.id));
    rows = new Map(stored.map((row) => [row.sourceFileId, row]));
  }, 400_000);

  it('ingests every real MOV and MP4 as a video item: its length, its original kept in storage by its content, no perceptual hash', async () => {
    for (const name of videoNames) {
      const row = rows.get(name)!;
      expect(row, name).toMatchObject({ status: 'ready', mediaType: 'video', perceptualHash: null, contentHashKind: 'sha256' });
      expect(row.mimeType, name).toBe(name.endsWith('.mov') ? 'video/quicktime' : 'video/mp4');
      expect(row.durationMs, name).toBeGreaterThan(500);
      const bytes = await readFile(join(VIDEOS, name));
      expect(row.contentHash, name).toBe(sha256(bytes));
      expect(row.originalKey, name).toBe(`users/${row.userId}/originals/${sha256(bytes)}.${name.endsWith('.mov') ? 'mov' : 'mp4'}`);
      expect((await app.services.storage.read(row.originalKey!))?.equals(bytes), name).toBe(true);
    }
  });

  it('makes a poster frame of each decodable video its thumbnail and preview, upright, and says why the others have none', async () => {
    const ipad = rows.get(IPAD_MOV)!;
    expect(ipad).toMatchObject({ width: 720, height: 1280, durationMs: 1167, takenAtSource: 'quicktime', timeZone: 'Europe/Berlin' });
    expect(ipad.takenAt).toEqual(new Date('2023-09-22T16:34:05Z'));
    const thumbnail = await sharp((await app.services.storage.read(ipad.thumbnailKey!))!).metadata();
    expect(thumbnail).toMatchObject({ format: 'webp', width: 400, height: 711 });
    const preview = await sharp((await app.services.storage.read(ipad.previewKey!))!).metadata();
    expect(preview).toMatchObject({ format: 'webp', width: 720, height: 1280 });
    expect(ipad.blurPlaceholder).not.toBeNull();
    for (const name of videoNames.filter((candidate) => !WITHOUT_POSTER.includes(candidate))) {
      expect(rows.get(name)!.thumbnailKey, name).not.toBeNull();
    }
    for (const name of WITHOUT_POSTER) {
      const row = rows.get(name)!;
      expect(row, name).toMatchObject({ status: 'ready', thumbnailKey: null, previewKey: null });
      expect(row.metadataNotes, name).toMatch(/^No poster frame: ffmpeg could not decode the video/);
    }
  });

  it('pairs the Live Photo: one item, the photo, with the clip as its motion; the clip is not an item of its own', () => {
    const still = rows.get('IMG_0001.HEIC')!;
    const clip = rows.get('IMG_0001.MOV')!;
    expect(clip).toMatchObject({ mediaType: 'video', status: 'paired', contentIdentifier: LIVE_ID });
    expect(still).toMatchObject({ mediaType: 'photo', status: 'ready', contentIdentifier: LIVE_ID, motionKey: clip.originalKey });
  });

  it('groups a video into a concert with the photos of the same evening and place', async () => {
    const video = rows.get(IPAD_MOV)!;
    const photo = rows.get('IMG_0002.JPG')!;
    expect(video.concertId).not.toBeNull();
    expect(photo.concertId).toBe(video.concertId);
  });

  it('lists a video with its stream, poster and length, a Live Photo with its motion clip, and every photo with its preview and download link', async () => {
    const owner = rows.get(IPAD_MOV)!;
    const page = await app.services.photoCuration.list(owner.userId, { concertId: owner.concertId!, limit: 50 });
    const video = page.items.find((item) => item.id === owner.id)!;
    expect(video).toMatchObject({ mediaType: 'video', video: { durationMs: 1167 }, preview: { width: 720 } });
    expect(video.video!.url).toMatch(new RegExp(`^/media/users/${owner.userId}/originals/[0-9a-f]{64}\\.mov\\?e=\\d+&s=`));
    expect(video.downloadUrl).toMatch(/&d=photoprism_video__quicktime-hvc1\.mov&s=/);
    const itsConcert = await app.services.photoCuration.list(owner.userId, { concertId: rows.get('IMG_0001.HEIC')!.concertId!, limit: 50 });
    const live = itsConcert.items.find((item) => item.id === rows.get('IMG_0001.HEIC')!.id)!;
    expect(live.motionUrl).toMatch(/\/originals\/[0-9a-f]{64}\.mov\?/);
    expect(live.preview).toMatchObject({ width: 1536 });
    // The clip is not listed anywhere.
    expect(itsConcert.items.some((item) => item.id === rows.get('IMG_0001.MOV')!.id)).toBe(false);
  });
});

describe('videos uploaded from the browser', () => {
  it('accepts a MOV and an MP4 by their content up to the video cap, refuses a larger one, and ingests them as videos', async () => {
    const { client, jar, user } = await newUser('videos-upload');
    const form = new FormData();
    const add = async (name: string, type: string, bytes?: Buffer) =>
      form.append('photos', new Blob([new Uint8Array(bytes ?? (await readFile(join(VIDEOS, name))))], { type }), name);
    // Over UPLOAD_MAX_FILE_MB (1) but under UPLOAD_MAX_VIDEO_MB (2): a video may be larger than a photo.
    const large = Buffer.concat([await readFile(join(VIDEOS, 'photoprism_ex__earth.mov')), Buffer.alloc(600_000)]);
    await add('earth-padded.mov', 'video/quicktime', large);
    // Sent as a generic type: its content decides.
    await add('photoprism_ex__example.mp4', 'application/octet-stream');
    await add('too-large.mov', 'video/quicktime', Buffer.concat([large, Buffer.alloc(1_200_000)]));
    const response = await fetch(`${app.url}/api/uploads`, {
      method: 'POST',
      body: form,
      headers: { origin: app.url, 'x-requested-with': 'concert-history', cookie: jar.cookie! },
    });
    expect(response.status).toBe(200);
    const { sourceId, accepted, refused } = (await response.json()) as {
      sourceId: number;
      accepted: unknown[];
      refused: Array<{ name: string; reason: string }>;
    };
    expect(accepted).toHaveLength(2);
    expect(refused).toEqual([{ name: 'too-large.mov', reason: 'Larger than the 2 MB limit' }]);
    const final = (await watchScan(client, (await client.scans.start.mutate({ sourceId })).scanId, 300_000)).at(-1)!;
    expect(final).toMatchObject({ status: 'completed', counts: { listed: 2, processed: 2, failed: 0 } });
    const rowsOfUser = await app.database.db
      .select()
      .from(photos)
      .where(and(eq(photos.userId, user.id), eq(photos.mediaType, 'video')));
    expect(rowsOfUser.map((row) => [row.fileName, row.mimeType, row.status]).sort()).toEqual([
      ['earth-padded.mov', 'video/quicktime', 'ready'],
      ['photoprism_ex__example.mp4', 'video/mp4', 'ready'],
    ]);
    expect(rowsOfUser.every((row) => row.thumbnailKey && row.originalKey)).toBe(true);
  });
});
