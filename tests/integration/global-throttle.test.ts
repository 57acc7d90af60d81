import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createGlobalThrottle, ThrottleTimeoutError } from '../../server/rate-limit/global-throttle.js';
import { testConfig } from '../support/test-env.js';

const config = testConfig();
const redis = new Redis(config.redis.url);
afterAll(() => redis.quit());

describe('global throttle (@upstash/ratelimit on our own Redis)', () => {
  it('lets a burst through, then holds callers to the refill rate, shared by every client', async () => {
    const keyPrefix = `${config.redis.keyPrefix}-throttle-${Date.now()}`;
    const options = { service: 'test', keyPrefix, refillPerSecond: 2, burst: 3, maxWaitMs: 50 };
    // Two "processes": two throttles on one Redis key.
    const first = createGlobalThrottle(redis, options);
    const second = createGlobalThrottle(redis, options);
    await first.acquire();
    await second.acquire();
    await first.acquire();
    const fourth = await second.acquire().then(
      () => null,
      (error: unknown) => error,
    );
    expect(fourth).toBeInstanceOf(ThrottleTimeoutError);
    expect((fourth as ThrottleTimeoutError).retryAfterMs).toBeGreaterThan(0);
    // A patient caller gets the next token once it refills.
    await createGlobalThrottle(redis, { ...options, maxWaitMs: 5_000 }).acquire();
  });
});
