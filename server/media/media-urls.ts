/**
 * The one place photo URLs are made and checked. Photos are private, so every URL
 * carries an expiry and an HMAC over the storage key and that expiry: it cannot be
 * guessed, and changing any character (another user's key, a later expiry) breaks
 * it. Keys hold the user id and the content hash, so a URL names exactly one file.
 *
 * Expiries are rounded up to a quarter of the lifetime, so a photo keeps one URL
 * for hours and browsers and the CDN cache it. The same scheme is checked at the
 * edge when a CDN fronts the bucket (deploy/cloudflare/media-worker.js).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config.js';
import { assertSafeKey } from '../storage/storage-keys.js';

export const MEDIA_PATH = '/media/';

export type MediaUrlCheck = 'ok' | 'expired' | 'invalid';

export class MediaUrls {
  private readonly base: string;

  constructor(private readonly config: Pick<AppConfig['media'], 'cdnBaseUrl' | 'urlSecret' | 'urlTtlSeconds'>) {
    // Without a CDN the URL is relative: the app serves it on whatever host the page came from.
    this.base = config.cdnBaseUrl ?? '';
  }

  url(key: string, now = Date.now()): string {
    assertSafeKey(key);
    const expires = this.expiryFor(now);
    return `${this.base}${MEDIA_PATH}${key}?e=${expires}&s=${this.signature(key, expires)}`;
  }

  check(key: string, expires: string | undefined, signature: string | undefined, now = Date.now()): MediaUrlCheck {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return 'invalid';
    const expected = Buffer.from(this.signature(key, Number(expires)));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return Number(expires) * 1000 < now ? 'expired' : 'ok';
  }

  /** Unix seconds: at least the configured lifetime from now, rounded up to a quarter of it. */
  private expiryFor(now: number): number {
    const ttl = this.config.urlTtlSeconds;
    const step = Math.max(Math.floor(ttl / 4), 1);
    return Math.ceil((Math.floor(now / 1000) + ttl) / step) * step;
  }

  private signature(key: string, expires: number): string {
    return createHmac('sha256', this.config.urlSecret).update(`${key}\n${expires}`).digest('base64url');
  }
}
