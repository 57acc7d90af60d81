import { describe, expect, it } from 'vitest';
import { MediaUrls } from './media-urls.js';

const config = { cdnBaseUrl: null, urlSecret: 'a-test-secret-of-at-least-32-characters!', urlTtlSeconds: 86_400 };
const key = 'users/7/variants/0123456789abcdef0123456789abcdef/800.webp';
const NOW = Date.UTC(2026, 10, 23, 12, 0, 30);

function parts(url: string) {
  const parsed = new URL(url, 'http://app.test');
  return {
    key: parsed.pathname.replace(/^\/media\//, ''),
    e: parsed.searchParams.get('e') ?? undefined,
    s: parsed.searchParams.get('s') ?? undefined,
  };
}

describe('MediaUrls', () => {
  const urls = new MediaUrls(config);

  it('signs a key with an expiry that a check accepts until it passes', () => {
    const url = urls.url(key, NOW);
    expect(url).toMatch(/^\/media\/users\/7\/variants\/[0-9a-f]{32}\/800\.webp\?e=\d+&s=[\w-]{43}$/);
    const { e, s } = parts(url);
    expect(Number(e) * 1000 - NOW).toBeGreaterThanOrEqual(86_400_000);
    expect(urls.check(key, e, s, NOW)).toBe('ok');
    expect(urls.check(key, e, s, Number(e) * 1000 + 1)).toBe('expired');
  });

  it('keeps one URL for a while, so browsers and the CDN can cache it', () => {
    expect(urls.url(key, NOW)).toBe(urls.url(key, NOW + 60_000));
  });

  it('refuses a changed key, a changed expiry, a changed or missing signature, and another secret', () => {
    const { e, s } = parts(urls.url(key, NOW));
    expect(urls.check(key.replace('users/7/', 'users/8/'), e, s, NOW)).toBe('invalid');
    expect(urls.check(key, String(Number(e) + 3600), s, NOW)).toBe('invalid');
    expect(urls.check(key, e, `${s!.slice(0, -1)}A`, NOW)).toBe('invalid');
    expect(urls.check(key, e, undefined, NOW)).toBe('invalid');
    expect(urls.check(key, 'soon', s, NOW)).toBe('invalid');
    expect(new MediaUrls({ ...config, urlSecret: 'another-secret-of-at-least-32-characters' }).check(key, e, s, NOW)).toBe('invalid');
  });

  it('points at the CDN when one is configured', () => {
    expect(new MediaUrls({ ...config, cdnBaseUrl: 'https://cdn.example' }).url(key, NOW)).toMatch(/^https:\/\/cdn\.example\/media\/users\/7\//);
  });

  it('never signs an unsafe key', () => {
    expect(() => urls.url('users/7/../8/x.webp', NOW)).toThrow(/Unsafe/);
  });
});
