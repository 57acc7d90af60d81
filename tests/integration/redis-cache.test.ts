import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { maxmemoryPolicyWarning } from '../../server/redis.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';

/** The same Redis server, another database index: a stand-in for a separate cache Redis. */
function otherDatabase(url: string): string {
  const parsed = new URL(url);
  const current = Number(parsed.pathname.slice(1) || '0');
  parsed.pathname = `/${(current + 1) % 16}`;
  return parsed.toString();
}

async function keysMatching(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

describe('a separate cache Redis (REDIS_CACHE_URL)', () => {
  let app: RunningApp;
  let cacheDb: Redis;
  let queueDb: Redis;
  beforeAll(async () => {
    const queueUrl = inject('redisUrl');
    const cacheUrl = otherDatabase(queueUrl);
    app = await startTestApp({ REDIS_CACHE_URL: cacheUrl });
    cacheDb = new Redis(cacheUrl);
    queueDb = new Redis(queueUrl);
  });
  afterAll(async () => {
    cacheDb?.disconnect();
    queueDb?.disconnect();
    await app?.close();
  });

  it('keeps sessions in the cache Redis, not in the queue Redis', async () => {
    const { client } = trpcHttpClient(app.url);
    await client.auth.signup.mutate({ email: uniqueEmail('cache-redis'), password: 'correct horse battery staple', name: 'Cache' });
    const pattern = `${app.config.redis.keyPrefix}:sess:*`;
    expect((await keysMatching(cacheDb, pattern)).length).toBeGreaterThan(0);
    expect(await keysMatching(queueDb, pattern)).toEqual([]);
    expect(await client.auth.me.query()).toMatchObject({ name: 'Cache' });
  });

  it('checks both Redis connections and reports the queue Redis policy in readiness', async () => {
    const response = await fetch(`${app.url}/api/ready`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.checks).toEqual({ database: 'ok', redis: 'ok', cacheRedis: 'ok' });
    expect(body.queueRedisMaxmemoryPolicy).toBe('noeviction');
    expect(body.warnings).toBeUndefined();
  });
});

describe('the queue Redis eviction warning', () => {
  it('warns for a policy that can evict queue keys, and not for noeviction or an unknown policy', () => {
    expect(maxmemoryPolicyWarning('allkeys-lru')).toMatch(/maxmemory-policy is allkeys-lru; BullMQ needs noeviction/);
    expect(maxmemoryPolicyWarning('noeviction')).toBeNull();
    expect(maxmemoryPolicyWarning('unknown')).toBeNull();
  });
});
