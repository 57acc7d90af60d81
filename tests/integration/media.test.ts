/**
 * Photo media end to end, on local disk and on S3 (an S3-compatible server the test
 * starts): starring renders the three variants in the worker, they are served
 * through signed URLs with immutable caching, carry no metadata, and a tampered,
 * expired or foreign URL is refused.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaUrls } from '../../server/media/media-urls.js';
import type { Child } from '../support/child-process.js';
import { makeStagePhoto } from '../support/images.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

const PARADISO = { latitude: 52.3622, longitude: 4.884 };

let libraryRoot: string;
let s3: S3TestServer;

beforeAll(async () => {
  libraryRoot = await mkdtemp(join(tmpdir(), 'ch-media-'));
  const folder = join(libraryRoot, 'library');
  await mkdir(folder, { recursive: true });
  const exif = { localTime: '2019-07-05T21:30:00', ...PARADISO, make: 'Fujifilm', model: 'X100V' };
  await writeFile(join(folder, 'landscape.jpg'), await makeStagePhoto({ seed: 11, width: 1600, height: 1200, exif }));
  // Stored sideways with orientation 6 (rotate 90° clockwise), as phones do: shown 1200 wide, 1600 high.
  await writeFile(join(folder, 'portrait.jpg'), await makeStagePhoto({ seed: 12, width: 1600, height: 1200, exif: { ...exif, orientation: 6 } }));
  s3 = await startS3Server();
}, 240_000);

afterAll(async () => {
  await s3?.close();
});

const storages = [
  { name: 'local disk', env: () => ({ DATA_DIR: join(libraryRoot, 'data-local') }) },
  { name: 'S3', env: () => ({ ...s3.env, DATA_DIR: join(libraryRoot, 'data-s3') }) },
];

describe.each(storages)('photo media on $name', ({ env: storageEnv }) => {
  let app: RunningApp;
  let worker: Child;

  beforeAll(async () => {
    const env = { LOCAL_IMPORT_ROOTS: libraryRoot, ...storageEnv() };
    app = await startTestApp(env);
    worker = await startWorkerProcess(testEnv(env));
  }, 240_000);
  afterAll(async () => {
    if (worker) await stop(worker);
    await app?.close();
  });

  async function scannedUser() {
    const { client } = trpcHttpClient(app.url);
    const user = await client.auth.signup.mutate({ email: uniqueEmail('media'), password: 'correct horse battery', name: 'Fan' });
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: join(libraryRoot, 'library') });
    const { scanId } = await client.scans.start.mutate({ sourceId });
    expect((await watchScan(client, scanId)).at(-1)!.status).toBe('completed');
    const [concert] = (await client.concerts.list.query({})).items;
    const { items } = await client.photos.list.query({ concertId: concert!.id });
    return { user, client, photos: items };
  }

  async function variantsOf(client: Awaited<ReturnType<typeof scannedUser>>['client'], concertId: number, photoId: number) {
    // The worker renders in the background; ask until it is done (the test's timeout bounds the wait).
    for (;;) {
      const photo = (await client.photos.list.query({ concertId })).items.find((p) => p.id === photoId)!;
      if (photo.variants.length) return photo;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('gives every photo a thumbnail URL and a blur placeholder from ingest', async () => {
    const { photos } = await scannedUser();
    expect(photos).toHaveLength(2);
    for (const photo of photos) {
      expect(photo.placeholder).toMatch(/^[A-Za-z0-9+/]{20,}={0,2}$/);
      expect(photo.variants).toEqual([]);
      const response = await fetch(`${app.url}${photo.thumbnailUrl}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/webp');
    }
  });

  it('renders 400, 800 and 1200 px WebP variants of a starred photo, upright and without metadata, served immutable', async () => {
    const { client, photos } = await scannedUser();
    const portrait = photos.find((p) => p.fileName === 'portrait.jpg')!;
    expect(portrait).toMatchObject({ width: 1200, height: 1600 });
    await client.photos.star.mutate({ id: portrait.id, starred: true });
    const starred = await variantsOf(client, portrait.concertId!, portrait.id);
    expect(starred.variants.map((v) => v.width)).toEqual([400, 800, 1200]);

    for (const variant of starred.variants) {
      const response = await fetch(`${app.url}${variant.url}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/webp');
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const bytes = Buffer.from(await response.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      // Upright: the stored-sideways photo comes out portrait.
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', variant.width, Math.round((variant.width * 1600) / 1200)]);
      expect(meta.exif).toBeUndefined();
      expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();

      const etag = response.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await fetch(`${app.url}${variant.url}`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
    }
    const prefix = `users/${starred.thumbnailUrl!.split('/')[3]}/variants/`;
    const stored = await listAll(app, prefix);
    expect(stored.map((o) => o.key.split('/').pop()).sort()).toEqual(['1200.webp', '400.webp', '800.webp']);

    // Starring again, or unstarring and starring, rewrites nothing: the same three objects, untouched.
    await client.photos.star.mutate({ id: portrait.id, starred: false });
    await client.photos.star.mutate({ id: portrait.id, starred: true });
    await waitForIdle(app);
    expect(await listAll(app, prefix)).toEqual(stored);
  });

  it('renders the variants of a starred 1×65000 photo too, scaled to fit WebP, instead of failing them without a reason', async () => {
    const { client, jar } = trpcHttpClient(app.url);
    await client.auth.signup.mutate({ email: uniqueEmail('strip'), password: 'correct horse battery', name: 'Fan' });
    const strip = await sharp({ create: { width: 1, height: 65_000, channels: 3, background: '#556677' } })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append('photos', new Blob([new Uint8Array(strip)], { type: 'image/jpeg' }), 'strip.jpg');
    const response = await fetch(`${app.url}/api/uploads`, {
      method: 'POST',
      body: form,
      headers: { origin: app.url, 'x-requested-with': 'concert-history', cookie: jar.cookie! },
    });
    const uploaded = await response.json();
    expect(uploaded.accepted).toHaveLength(1);
    const { scanId } = await client.scans.start.mutate({ sourceId: uploaded.sourceId });
    expect((await watchScan(client, scanId)).at(-1)!.status).toBe('completed');
    const [photo] = (await client.photos.list.query({ unmatched: true })).items;
    expect(photo).toMatchObject({ fileName: 'strip.jpg', width: 1, height: 65_000 });

    await client.photos.star.mutate({ id: photo!.id, starred: true });
    let variants: Array<{ width: number; url: string }> = [];
    await expect
      .poll(
        async () => {
          variants = (await client.photos.list.query({ unmatched: true })).items[0]!.variants;
          return variants.length;
        },
        {
          timeout: 45_000,
          interval: 250,
        },
      )
      .toBeGreaterThan(0);
    // Narrower than every variant width: one rendition, the photo's own width.
    expect(variants.map((v) => v.width)).toEqual([1]);
    const served = await fetch(`${app.url}${variants[0]!.url}`);
    expect(served.status).toBe(200);
    const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 1, 16_383]);
  });

  it('refuses a tampered, expired or foreign media URL', async () => {
    const owner = await scannedUser();
    const other = await scannedUser();
    const url = owner.photos[0]!.thumbnailUrl!;
    expect((await fetch(`${app.url}${url}`)).status).toBe(200);

    const tampered = url.replace(/s=([\w-])/, (_m, c: string) => `s=${c === 'A' ? 'B' : 'A'}`);
    const tamperedAnswer = await fetch(`${app.url}${tampered}`);
    expect(tamperedAnswer.status).toBe(403);
    expect(tamperedAnswer.headers.get('cache-control')).toBe('no-store');

    const later = url.replace(/e=(\d+)/, (_m, e: string) => `e=${Number(e) + 86_400}`);
    expect((await fetch(`${app.url}${later}`)).status).toBe(403);

    // The other user's file, under this user's signature.
    const foreignKey = other.photos[0]!.thumbnailUrl!.split('?')[0];
    expect((await fetch(`${app.url}${foreignKey}?${url.split('?')[1]}`)).status).toBe(403);

    const lastWeek = new MediaUrls(app.config.media).url(url.split('?')[0]!.replace(/^\/media\//, ''), Date.now() - 8 * 86_400_000);
    const expired = await fetch(`${app.url}${lastWeek}`);
    expect(expired.status).toBe(403);
    expect((await expired.json()).error.code).toBe('EXPIRED');
  });
});

async function listAll(app: RunningApp, prefix: string) {
  const objects: Array<{ key: string; size: number; modifiedAt: Date }> = [];
  for await (const page of app.services.storage.list(prefix)) objects.push(...page);
  return objects.sort((a, b) => a.key.localeCompare(b.key));
}

/** Until the image queue has nothing waiting or running. */
async function waitForIdle(app: RunningApp) {
  const queue = app.services.queues.queue('image');
  for (;;) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).every((n) => n === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
