/** The Cloudflare edge worker accepts exactly the URLs the app signs, and serves the bucket's bytes. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import worker, { checkMediaSignature, type MediaWorkerEnv } from '../../deploy/cloudflare/media-worker.js';
import { MediaUrls } from '../../server/media/media-urls.js';

const secret = 'edge-test-secret-of-at-least-32-characters';
const urls = new MediaUrls({ cdnBaseUrl: 'https://media.example.test', urlSecret: secret, urlTtlSeconds: 86_400 });
const key = 'users/42/variants/00112233445566778899aabbccddeeff/800.webp';
const bytes = Buffer.from('RIFF....WEBPVP8 fake but opaque bytes');

const env: MediaWorkerEnv = {
  MEDIA_URL_SECRET: secret,
  MEDIA_BUCKET: {
    async get(wanted) {
      if (wanted !== key) return null;
      return { body: Readable.toWeb(Readable.from([bytes])) as ReadableStream, size: bytes.length, httpEtag: '"abc"' };
    },
  },
};

describe('the media edge worker', () => {
  it('agrees with the app on every signature', async () => {
    const url = new URL(urls.url(key));
    const e = url.searchParams.get('e');
    const s = url.searchParams.get('s');
    expect(await checkMediaSignature(secret, key, e, s, Date.now())).toBe('ok');
    expect(await checkMediaSignature(secret, key.replace('/42/', '/43/'), e, s, Date.now())).toBe('invalid');
    expect(await checkMediaSignature(secret, key, String(Number(e) + 1), s, Date.now())).toBe('invalid');
    expect(await checkMediaSignature('another-secret-of-at-least-32-characters', key, e, s, Date.now())).toBe('invalid');
    expect(await checkMediaSignature(secret, key, e, 'not base64!', Date.now())).toBe('invalid');
    expect(await checkMediaSignature(secret, key, e, s, Number(e) * 1000 + 1)).toBe('expired');
  });

  it('serves a signed URL from the bucket, immutable, and refuses the rest without caching the refusal', async () => {
    const served = await worker.fetch(new Request(urls.url(key)), env);
    expect(served.status).toBe(200);
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);

    const tampered = await worker.fetch(new Request(urls.url(key).replace('/42/', '/43/')), env);
    expect(tampered.status).toBe(403);
    expect(tampered.headers.get('cache-control')).toBe('no-store');
    // URL parsing resolves the "..", and the signature of the path it leads to does not match.
    const traversal = await worker.fetch(new Request('https://media.example.test/media/users/42/../43/x.webp?e=1&s=x'), env);
    expect(traversal.status).toBe(403);
    const missing = await worker.fetch(new Request(urls.url('users/42/thumbnails/00112233445566778899aabbccddeeff.webp')), env);
    expect(missing.status).toBe(404);
  });
});
