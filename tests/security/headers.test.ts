/**
 * Security headers on every kind of response the app sends: HTML pages, tRPC
 * answers and errors, health, media refusals, 404s, CSRF refusals, metrics, and
 * HSTS in production. Moved here from health.test.ts and extended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/security-world.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';

let app: RunningApp;
let production: RunningApp;
beforeAll(async () => {
  [app, production] = await Promise.all([
    startTestApp(),
    startTestApp({
      NODE_ENV: 'production',
      CLIENT_MODE: 'off',
      SESSION_SECRET: 'a-production-session-secret-of-40-chars!!',
      MAP_TILE_URL: 'https://tiles.example.org/osm/{z}/{x}/{y}.png',
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([app?.close(), production?.close()]);
});

/** Every kind of response, with the status it is expected to have (so a route change cannot hide a header check). */
function responses(base: string, cookie?: string): Array<[string, number, () => Promise<Response>]> {
  const json = { 'content-type': 'application/json', origin: base };
  return [
    ['liveness', 200, () => fetch(`${base}/api/health`)],
    ['readiness', 200, () => fetch(`${base}/api/ready`)],
    ['a tRPC query', 200, () => fetch(`${base}/trpc/auth.me`)],
    ['a tRPC error (no session)', 401, () => fetch(`${base}/trpc/scans.list`)],
    ['a tRPC mutation', 200, () => fetch(`${base}/trpc/auth.logout`, { method: 'POST', headers: { ...json, cookie: cookie ?? '' }, body: '{}' })],
    ['a tRPC mutation over GET', 405, () => fetch(`${base}/trpc/auth.logout`)],
    [
      'a CSRF refusal',
      403,
      () => fetch(`${base}/trpc/auth.logout`, { method: 'POST', headers: { ...json, origin: 'https://evil.example' }, body: '{}' }),
    ],
    ['a media link with a bad signature', 403, () => fetch(`${base}/media/users/1/thumbnails/${'0'.repeat(64)}.webp?e=9999999999&s=bad`)],
    ['an unknown page', 404, () => fetch(`${base}/no/such/page`)],
    ['an upload without a session', 401, () => fetch(`${base}/api/uploads`, { method: 'POST' })],
    ['the unsubscribe page (HTML)', 400, () => fetch(`${base}/api/unsubscribe?token=nonsense`)],
    ['the queue dashboard without a session', 401, () => fetch(`${base}/admin/queues`)],
    ['metrics', 200, () => fetch(`${base}/metrics`)],
  ];
}

function missingHeaders(response: Response): string[] {
  const h = response.headers;
  const csp = h.get('content-security-policy') ?? '';
  const missing: string[] = [];
  if (h.get('x-content-type-options') !== 'nosniff') missing.push('X-Content-Type-Options: nosniff');
  if (h.get('x-frame-options') !== 'SAMEORIGIN') missing.push('X-Frame-Options: SAMEORIGIN');
  if (!csp.includes("frame-ancestors 'self'")) missing.push("CSP frame-ancestors 'self'");
  if (!csp.includes("default-src 'self'") || !csp.includes("script-src 'self'") || !csp.includes("object-src 'none'"))
    missing.push("CSP default-src/script-src 'self', object-src 'none'");
  if (h.get('referrer-policy') !== 'no-referrer') missing.push('Referrer-Policy: no-referrer');
  if (h.get('cross-origin-opener-policy') !== 'same-origin') missing.push('Cross-Origin-Opener-Policy: same-origin');
  if (h.get('x-powered-by') !== null) missing.push('no X-Powered-By');
  if (!/^[0-9a-f-]{36}$/.test(h.get('x-request-id') ?? '')) missing.push('X-Request-Id');
  return missing;
}

describe('security headers', () => {
  it('are on every kind of response', async () => {
    const { jar } = await signUp(app, 'headers');
    const wrong: string[] = [];
    for (const [what, status, request] of responses(app.url, jar.cookie)) {
      const response = await request();
      if (response.status !== status) wrong.push(`${what}: status ${response.status}, expected ${status}`);
      const missing = missingHeaders(response);
      if (missing.length) wrong.push(`${what}: missing ${missing.join(', ')}`);
      // Outside production no HSTS: a developer's http://localhost must not be pinned to HTTPS.
      if (response.headers.get('strict-transport-security') !== null) wrong.push(`${what}: HSTS outside production`);
    }
    expect(wrong).toEqual([]);
  });

  it('are on every kind of response in production, with HSTS', async () => {
    const wrong: string[] = [];
    for (const [what, status, request] of responses(production.url)) {
      // No session here (a production cookie is Secure, never set over this plain-HTTP connection): logout answers 401.
      const response = await request();
      const expected = what === 'a tRPC mutation' ? 401 : status;
      if (response.status !== expected) wrong.push(`${what}: status ${response.status}, expected ${expected}`);
      const missing = missingHeaders(response);
      if (missing.length) wrong.push(`${what}: missing ${missing.join(', ')}`);
      const hsts = response.headers.get('strict-transport-security') ?? '';
      const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0);
      if (maxAge < 180 * 24 * 3600 || !hsts.includes('includeSubDomains')) wrong.push(`${what}: HSTS "${hsts}"`);
    }
    expect(wrong).toEqual([]);
  });

  it('let images come from this app, and from the tile server only where the operator configured one', async () => {
    const imgSrc = async (base: string) =>
      /img-src ([^;]*)/
        .exec((await fetch(`${base}/api/health`)).headers.get('content-security-policy') ?? '')?.[1]
        ?.split(' ')
        .sort();
    expect(await imgSrc(app.url)).toEqual(["'self'", 'data:']);
    expect(await imgSrc(production.url)).toEqual(["'self'", 'data:', 'https://tiles.example.org']);
  });

  it('keep JSON and media from being sniffed into HTML, and HTML pages carry a charset', async () => {
    const page = await fetch(`${app.url}/api/unsubscribe?token=nonsense`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const error = await fetch(`${app.url}/trpc/scans.list`);
    expect(error.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
