/**
 * Redis goes away and comes back (a restart, a failover): the web server answers
 * 503 at once while it is gone and is ready again by itself; a worker waits and
 * takes jobs again by itself. Both run against a Redis of this test's own.
 *
 * "At once" is a behavioural bound, not a stopwatch: each request made while Redis
 * is down carries a five-second client-side abort, so a server that hangs waiting
 * for Redis (which stays down far longer) fails the test, whatever the machine's
 * speed; five, not one, so a loaded machine's scheduling does not fail a server
 * that answers at once.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullPrefix } from '../../server/queue/bullmq-options.js';
import { spawnTs, startWebProcess, stop, waitForOutput, type Child } from '../support/child-process.js';
import { startPrivateRedis } from '../support/private-redis.js';
import { testConfig, testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';

let redisServer: Awaited<ReturnType<typeof startPrivateRedis>>;
beforeAll(async () => {
  redisServer = await startPrivateRedis();
});
afterAll(async () => {
  await redisServer?.stop();
});

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a Redis outage', () => {
  it('the web server answers 503 fast while Redis is gone and is ready again by itself when it is back', async () => {
    const { child, url } = await startWebProcess(testEnv({ REDIS_URL: redisServer.url }));
    const ready = async (signal?: AbortSignal) => (await fetch(`${url}/api/ready`, { signal })).status;
    try {
      expect(await ready()).toBe(200);
      const { client, jar } = trpcHttpClient(url);
      const user = await client.auth.signup.mutate({ email: uniqueEmail('outage'), password: 'correct horse battery', name: 'Fan' });
      const me = (signal?: AbortSignal) => fetch(`${url}/trpc/auth.me`, { headers: { cookie: jar.cookie! }, signal });
      const listSources = (signal: AbortSignal) => fetch(`${url}/trpc/sources.list`, { headers: { cookie: jar.cookie!, origin: url }, signal });

      await redisServer.stop();
      // Each answer arrives before the abort: nothing waits for Redis to come back.
      expect(await ready(AbortSignal.timeout(5_000))).toBe(503);
      for (const call of [me, listSources]) {
        const refused = await call(AbortSignal.timeout(5_000));
        expect(refused.status).toBe(503);
        const body = await refused.json();
        expect(JSON.stringify(body)).toMatch(/temporarily unavailable|try again/i);
      }
      // Still refusing, still fast, on a second round (the reconnecting client does not start to queue).
      expect(await ready(AbortSignal.timeout(5_000))).toBe(503);
      expect((await me(AbortSignal.timeout(5_000))).status).toBe(503);

      await redisServer.start();
      await eventually(ready, (status) => status === 200, 'readiness after Redis came back');
      // The session was in Redis's append-only file: the user is still logged in.
      expect(await client.auth.me.query()).toMatchObject({ id: user.id });
      expect(await client.sources.list.query()).toEqual([]);
      expect(child.process.exitCode).toBeNull();
    } finally {
      await redisServer.start().catch(() => {});
      expect(await stop(child)).toBe(0);
    }
  });

  it('a worker waits while Redis is gone and takes jobs again by itself when it is back', async () => {
    const env = testEnv({ REDIS_URL: redisServer.url, WORKER_QUEUES: 'scan' });
    const config = testConfig(env);
    const worker: Child = spawnTs('tests/fixtures/slow-job-worker.ts', env);
    await waitForOutput(worker, /test worker ready/);
    const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
    redis.on('error', () => {});
    const queue = new Queue('scan', { connection: redis, prefix: bullPrefix(config) });
    queue.on('error', () => {});
    const finished = (marker: string) => async () => (await redis.exists(`${config.redis.keyPrefix}:test:${marker}:finished`)) === 1;
    try {
      await queue.add('slow-test-job', { durationMs: 0, marker: 'before' });
      await eventually(finished('before'), Boolean, 'the job before the outage');

      await redisServer.stop();
      // Long enough for the worker's connection to fail and retry a few times.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(worker.process.exitCode).toBeNull();
      await redisServer.start();

      await queue.add('slow-test-job', { durationMs: 0, marker: 'after' });
      await eventually(finished('after'), Boolean, 'the job after the outage');
      expect(worker.process.exitCode).toBeNull();
    } finally {
      expect(await stop(worker)).toBe(0);
      await queue.close();
      redis.disconnect();
    }
  });
});
