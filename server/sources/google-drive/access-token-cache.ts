/**
 * Access tokens live about an hour; refreshing one per request would hit the
 * token endpoint's quota, so each process keeps them in memory (never on disk:
 * only the sealed refresh token is stored). Concurrent jobs of one user share
 * one refresh in flight.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export interface AccessToken {
  accessToken: string;
  expiresAt: Date;
}

export interface AccessTokenRequest {
  /** The token Google just answered 401 to: never hand it out again, even if it looks unexpired. */
  rejectedToken?: string;
}

/** What the Drive client calls before each request. */
export type AccessTokenProvider = (request?: AccessTokenRequest) => Promise<string>;

export interface AccessTokenCacheOptions {
  refresh: (refreshToken: string) => Promise<AccessToken>;
  /** Refresh this long before the expiry Google announced, so a token never expires mid-request. */
  expiryMarginMs: number;
  maxEntries: number;
  now: () => number;
}

/**
 * The tokens, least recently used first out (lru-cache); its fetch runs one refresh per
 * grant however many jobs ask at once. Freshness is judged from Google's expiry.
 */
export class AccessTokenCache {
  private readonly tokens: LRUCache<string, AccessToken, { refreshToken: string }>;

  constructor(private readonly options: AccessTokenCacheOptions) {
    this.tokens = new LRUCache({
      max: options.maxEntries,
      fetchMethod: (_key, _stale, { context }) => options.refresh(context.refreshToken),
    });
  }

  async get(refreshToken: string, request: AccessTokenRequest = {}): Promise<string> {
    const key = cacheKey(refreshToken);
    const cached = this.tokens.get(key);
    const usable = cached && cached.accessToken !== request.rejectedToken && this.isFresh(cached);
    const token = usable ? cached : await this.tokens.fetch(key, { context: { refreshToken }, forceRefresh: true });
    return token!.accessToken;
  }

  /** Seeds the cache with a token obtained elsewhere (the code exchange). */
  remember(refreshToken: string, token: AccessToken): void {
    this.tokens.set(cacheKey(refreshToken), token);
  }

  private isFresh(token: AccessToken): boolean {
    return token.expiresAt.getTime() - this.options.expiryMarginMs > this.options.now();
  }
}

/** Keyed by a hash so the map itself holds no refresh token. */
function cacheKey(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('base64url');
}
