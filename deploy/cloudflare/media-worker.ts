/**
 * Cloudflare Worker for CDN_BASE_URL when Cloudflare fronts the bucket (R2, or S3
 * through an R2-compatible binding): it checks each media URL's signature and
 * expiry at the edge, exactly as server/media/media-urls.ts signs them, then
 * answers from Cloudflare's cache or the bucket. The cache is keyed by the path
 * alone, so every signed URL of one file shares one cached copy, while no request
 * is served without a valid signature. Deployed with wrangler (see README.md
 * beside this file); MEDIA_URL_SECRET must equal the app's.
 */

export interface MediaBucketObject {
  body: ReadableStream;
  size: number;
  httpEtag: string;
}

export interface MediaWorkerEnv {
  MEDIA_URL_SECRET: string;
  MEDIA_BUCKET: { get(key: string): Promise<MediaBucketObject | null> };
}

interface EdgeCache {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = { webp: 'image/webp', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' };
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9/_.-]*$/;

export default {
  async fetch(request: Request, env: MediaWorkerEnv, context?: { waitUntil(promise: Promise<unknown>): void }): Promise<Response> {
    const url = new URL(request.url);
    const key = url.pathname.startsWith('/media/') ? url.pathname.slice('/media/'.length) : '';
    if (!SAFE_KEY.test(key) || key.includes('..') || key.includes('//')) return refuse(404, 'NOT_FOUND', 'No such media');
    const check = await checkMediaSignature(env.MEDIA_URL_SECRET, key, url.searchParams.get('e'), url.searchParams.get('s'), Date.now());
    if (check === 'expired') return refuse(403, 'EXPIRED', 'This media link has expired; reload the page for a fresh one');
    if (check === 'invalid') return refuse(403, 'FORBIDDEN', 'This media link is not valid');

    const cache = (globalThis as unknown as { caches?: { default: EdgeCache } }).caches?.default;
    const cacheKey = new Request(`${url.origin}${url.pathname}`);
    const cached = await cache?.match(cacheKey);
    if (cached) return cached;
    const object = await env.MEDIA_BUCKET.get(key);
    if (!object) return refuse(404, 'NOT_FOUND', 'No such media');
    const response = new Response(object.body, {
      headers: {
        'Content-Type': CONTENT_TYPES[key.split('.').pop() ?? ''] ?? 'application/octet-stream',
        'Content-Length': String(object.size),
        'Cache-Control': 'public, max-age=31536000, immutable',
        ETag: object.httpEtag,
        'X-Content-Type-Options': 'nosniff',
      },
    });
    if (cache) context?.waitUntil(cache.put(cacheKey, response.clone()));
    return response;
  },
};

/** The check of server/media/media-urls.ts, with Web Crypto: HMAC-SHA256 over "<key>\n<expiry>", base64url. */
export async function checkMediaSignature(secret: string, key: string, expires: string | null, signature: string | null, now: number) {
  if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return 'invalid' as const;
  const hmacKey = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const given = base64UrlDecode(signature);
  if (!given) return 'invalid' as const;
  const valid = await crypto.subtle.verify('HMAC', hmacKey, given, new TextEncoder().encode(`${key}\n${expires}`));
  if (!valid) return 'invalid' as const;
  return Number(expires) * 1000 < now ? ('expired' as const) : ('ok' as const);
}

function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const binary = atob(
      text
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(text.length / 4) * 4, '='),
    );
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function refuse(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}
