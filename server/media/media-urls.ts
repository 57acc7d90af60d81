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

/** The file name a download link saves as: letters, digits, dot, dash and underscore, safe in a Content-Disposition header as is. */
export const DOWNLOAD_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

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

  /**
   * A link that downloads the object as an attachment named `fileName`, valid for
   * `ttlSeconds` (not rounded: it is fetched once, never cached). The name is signed
   * with the key, so the link cannot be changed to save or show the file otherwise.
   * Always this app's own /media, never the CDN: the edge check knows no names.
   */
  downloadUrl(key: string, fileName: string, ttlSeconds: number, now = Date.now()): string {
    assertSafeKey(key);
    if (!DOWNLOAD_NAME.test(fileName)) throw new Error(`Unsafe download name: ${fileName}`);
    const expires = Math.floor(now / 1000) + Math.max(1, Math.min(ttlSeconds, this.config.urlTtlSeconds));
    return `${MEDIA_PATH}${key}?e=${expires}&d=${fileName}&s=${this.signature(key, expires, fileName)}`;
  }

  /** `download`: the link's `d` parameter, present on download links only (it is part of what was signed). */
  check(key: string, expires: string | undefined, signature: string | undefined, now = Date.now(), download?: string): MediaUrlCheck {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return 'invalid';
    const expected = Buffer.from(this.signature(key, Number(expires), download));
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

  private signature(key: string, expires: number, download?: string): string {
    // Keys hold no newline: "<key>\n<expiry>" (what the CDN edge checks) and a download's longer message never collide.
    const message = download === undefined ? `${key}\n${expires}` : `${key}\n${expires}\nattachment\n${download}`;
    return createHmac('sha256', this.config.urlSecret).update(message).digest('base64url');
  }
}
