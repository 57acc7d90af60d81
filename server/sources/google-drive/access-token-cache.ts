/**
 * Access tokens live about an hour; refreshing one per request would hit the
 * token endpoint's quota, so each process keeps them in memory (never on disk:
 * only the sealed refresh token is stored). Concurrent jobs of one user share
 * one refresh in flight.
 */
import { createHash } from 'node:crypto';

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

export class AccessTokenCache {
  private readonly tokens = new Map<string, AccessToken>();
  private readonly refreshing = new Map<string, Promise<AccessToken>>();

  constructor(private readonly options: AccessTokenCacheOptions) {}

  async get(refreshToken: string, request: AccessTokenRequest = {}): Promise<string> {
    const key = cacheKey(refreshToken);
    const cached = this.tokens.get(key);
    if (cached && cached.accessToken !== request.rejectedToken && this.isFresh(cached)) return cached.accessToken;
    return (await this.refreshOnce(key, refreshToken)).accessToken;
  }

  /** Seeds the cache with a token obtained elsewhere (the code exchange). */
  remember(refreshToken: string, token: AccessToken): void {
    this.store(cacheKey(refreshToken), token);
  }

  private refreshOnce(key: string, refreshToken: string): Promise<AccessToken> {
    const pending = this.refreshing.get(key);
    if (pending) return pending;
    const refresh = this.options
      .refresh(refreshToken)
      .then((token) => {
        this.store(key, token);
        return token;
      })
      .finally(() => this.refreshing.delete(key));
    this.refreshing.set(key, refresh);
    return refresh;
  }

  private store(key: string, token: AccessToken): void {
    this.tokens.delete(key);
    this.tokens.set(key, token);
    // Maps iterate in insertion order: the first key is the least recently refreshed.
    while (this.tokens.size > this.options.maxEntries) this.tokens.delete(this.tokens.keys().next().value!);
  }

  private isFresh(token: AccessToken): boolean {
    return token.expiresAt.getTime() - this.options.expiryMarginMs > this.options.now();
  }
}

/** Keyed by a hash so the map itself holds no refresh token. */
function cacheKey(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('base64url');
}
