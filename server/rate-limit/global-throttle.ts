/**
 * A rate limit shared by every process, for calls to an outside service that
 * allows only so many requests per second from all of us together (setlist.fm,
 * Overpass). Callers wait for a slot rather than fail.
 */
import { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from 'ioredis';
import { upstashRedisAdapter } from './upstash-redis-adapter.js';

export class ThrottleTimeoutError extends Error {
  constructor(
    readonly service: string,
    readonly retryAfterMs: number,
  ) {
    super(`${service}: no request slot became free in time; retry in ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = 'ThrottleTimeoutError';
  }
}

export interface Throttle {
  /** Resolves when this process may send one request; throws ThrottleTimeoutError after `maxWaitMs`. */
  acquire(): Promise<void>;
}

export interface GlobalThrottleOptions {
  /** Names the limit in Redis keys and errors, e.g. "setlistfm". */
  service: string;
  keyPrefix: string;
  /** Token bucket: `refillPerSecond` tokens a second, holding at most `burst`. */
  refillPerSecond: number;
  burst: number;
  maxWaitMs?: number;
}

export function createGlobalThrottle(redis: Redis, options: GlobalThrottleOptions): Throttle {
  const limiter = new Ratelimit({
    // The library's type names the HTTP client; it only ever calls eval/evalsha (see the adapter).
    redis: upstashRedisAdapter(redis) as unknown as ConstructorParameters<typeof Ratelimit>[0]['redis'],
    limiter: Ratelimit.tokenBucket(options.refillPerSecond, '1 s', options.burst),
    prefix: `${options.keyPrefix}:throttle:${options.service}`,
    analytics: false,
    // 0: never fail open. A Redis outage surfaces as an error, and the job retries.
    timeout: 0,
  });
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  return {
    async acquire() {
      const result = await limiter.blockUntilReady('global', maxWaitMs);
      if (!result.success) throw new ThrottleTimeoutError(options.service, Math.max(result.reset - Date.now(), 0));
    },
  };
}
