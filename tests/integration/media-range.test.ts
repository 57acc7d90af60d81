/**
 * A video streamed through a signed media URL with HTTP Range requests, on local disk
 * and on S3: 206 with Content-Range, If-Range with the strong ETag, 416 for what cannot
 * be served, one range a request, and the signature checked first, whatever the Range.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaUrls } from '../../server/media/media-urls.js';
import { REAL_MEDIA_DIR } from '../fixtures/real-media/truth.js';
import { startS3Server, type S3TestServer } from '../support/s3-server.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

const KEY = 'users/7/originals/8637a447a955133f776011e906f16db375631c9bd6ba3bbc24c0cf037c6fab07.mov';
let video: Buffer;
let s3: S3TestServer;
let root: string;

beforeAll(async () => {
  video = await readFile(join(REAL_MEDIA_DIR, 'videos/photoprism_ex__earth.mov'));
  root = await mkdtemp(join(tmpdir(), 'ch-media-range-'));
  s3 = await startS3Server();
}, 120_000);
afterAll(async () => {
  await s3?.close();
});

const storages = [
  { name: 'local disk', env: () => ({ DATA_DIR: join(root, 'local') }) },
  { name: 'S3', env: () => ({ ...s3.env, DATA_DIR: join(root, 's3') }) },
];

describe.each(storages)('a video streamed in ranges from $name', ({ env }) => {
  let app: RunningApp;
  let url: string;

  beforeAll(async () => {
    app = await startTestApp(env());
    await app.services.storage.put(KEY, video, 'video/quicktime');
    url = `${app.url}${new MediaUrls(app.config.media).url(KEY)}`;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const get = (headers: Record<string, string> = {}, target = url) => fetch(target, { headers });

  it('answers a range with 206, its bytes, Content-Range and Content-Length, and the whole file with 200 and Accept-Ranges', async () => {
    const whole = await get();
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-type')).toBe('video/quicktime');
    expect(Buffer.from(await whole.arrayBuffer()).equals(video)).toBe(true);

    const part = await get({ range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${video.length}`);
    expect(part.headers.get('content-length')).toBe('1000');
    expect(Buffer.from(await part.arrayBuffer()).equals(video.subarray(1000, 2000))).toBe(true);

    // What a player asks first, and where it seeks: the end (moov) and an open range.
    const tail = await get({ range: 'bytes=-500' });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(video.subarray(video.length - 500))).toBe(true);
    const open = await get({ range: `bytes=${video.length - 10}-` });
    expect(open.headers.get('content-range')).toBe(`bytes ${video.length - 10}-${video.length - 1}/${video.length}`);
    expect((await open.arrayBuffer()).byteLength).toBe(10);
  });

  it('refuses a range past the end and several ranges with 416 and the size, and ignores a malformed one (200)', async () => {
    for (const range of [`bytes=${video.length}-`, 'bytes=0-1,10-20', 'bytes=-0']) {
      const response = await get({ range });
      expect(response.status, range).toBe(416);
      expect(response.headers.get('content-range'), range).toBe(`bytes */${video.length}`);
      await response.arrayBuffer();
    }
    const malformed = await get({ range: 'bytes=20-10' });
    expect(malformed.status).toBe(200);
    expect((await malformed.arrayBuffer()).byteLength).toBe(video.length);
  });

  it('serves the range only while If-Range names this file’s strong ETag, else the whole file', async () => {
    const etag = (await get({ range: 'bytes=0-0' })).headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect((await get({ range: 'bytes=0-9', 'if-range': etag })).status).toBe(206);
    const changed = await get({ range: 'bytes=0-9', 'if-range': '"another-version"' });
    expect(changed.status).toBe(200);
    expect((await changed.arrayBuffer()).byteLength).toBe(video.length);
    expect((await get({ range: 'bytes=0-9', 'if-range': 'Wed, 21 Oct 2015 07:28:00 GMT' })).status).toBe(200);
    expect((await get({ range: 'bytes=0-9', 'if-none-match': etag })).status).toBe(304);
  });

  it('still refuses a tampered, foreign or expired link with 403 when it asks for a range, and sends no byte of the video', async () => {
    const signature = new URL(url).searchParams.get('s')!;
    const tampered = url.replace(`s=${signature}`, `s=${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`);
    const foreign = url.replace('/users/7/', '/users/8/');
    const expired = `${app.url}${new MediaUrls(app.config.media).url(KEY, Date.now() - 8 * 86_400_000)}`;
    for (const [name, target] of [
      ['tampered', tampered],
      ['foreign', foreign],
      ['expired', expired],
    ] as const) {
      const response = await get({ range: 'bytes=0-1023' }, target);
      expect(response.status, name).toBe(403);
      expect(response.headers.get('content-range'), name).toBeNull();
      expect(await response.json(), name).toMatchObject({ error: { code: name === 'expired' ? 'EXPIRED' : 'FORBIDDEN' } });
    }
  });
});
