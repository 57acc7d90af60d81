/**
 * Sign-up, login and /metrics while Redis is gone: a quick 503 with a human message
 * (never ioredis's wording), nothing half-done (no account that was reported as not
 * created), and a scrape that answers instead of hanging on the queue Redis.
 *
 * "Quick" is a behavioural bound, as in redis-outage.test.ts: each request made while
 * Redis is down carries a client-side abort, so a server that waits for Redis fails.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../drizzle/schema/index.js';
import { startPrivateRedis } from '../support/private-redis.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { uniqueEmail } from '../support/test-env.js';

const PASSWORD = 'correct horse battery staple';

let redisServer: Awaited<ReturnType<typeof startPrivateRedis>>;
let redisDown = false;
beforeAll(async () => {
  redisServer = await startPrivateRedis();
});
afterAll(async () => {
  await redisServer?.stop();
});

async function stopRedis() {
  redisDown = true;
  await redisServer.stop();
}
/** Starts the private Redis again if this test stopped it (starting it twice would leave a stray server). */
async function restartRedis() {
  if (!redisDown) return;
  redisDown = false;
  await redisServer.start();
}

function post(app: RunningApp, path: string, input: unknown, signal: AbortSignal) {
  return fetch(`${app.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: app.url },
    body: JSON.stringify({ json: input }),
    signal,
  });
}

async function expectUnavailable(response: Response) {
  expect(response.status).toBe(503);
  const body = await response.text();
  expect(body).toMatch(/SERVICE_UNAVAILABLE/);
  expect(body).toMatch(/temporarily unavailable/i);
  expect(body).not.toMatch(/enableOfflineQueue|Stream isn't writeable|Connection is closed|ioredis/i);
  expect(body).not.toMatch(/"stack"/);
}

const accountsWith = async (app: RunningApp, email: string) =>
  (await app.database.db.select({ id: users.id }).from(users).where(eq(users.email, email))).length;

describe('with all of Redis gone', () => {
  it('sign-up and login answer 503 at once and create no account', async () => {
    const app = await startTestApp({ REDIS_URL: redisServer.url, RATE_LIMIT_SIGNUPS_PER_HOUR: '5' });
    try {
      const existing = uniqueEmail('outage-existing');
      expect((await post(app, 'auth.signup', { email: existing, password: PASSWORD, name: 'Before' }, AbortSignal.timeout(30_000))).status).toBe(200);

      await stopRedis();
      const newcomer = uniqueEmail('outage-newcomer');
      await expectUnavailable(await post(app, 'auth.signup', { email: newcomer, password: PASSWORD, name: 'During' }, AbortSignal.timeout(5_000)));
      expect(await accountsWith(app, newcomer)).toBe(0);
      await expectUnavailable(await post(app, 'auth.login', { email: existing, password: PASSWORD }, AbortSignal.timeout(5_000)));
    } finally {
      await restartRedis();
      await app.close();
    }
  });

  it('/metrics answers without the queue depths instead of waiting for the queue Redis', async () => {
    const app = await startTestApp({ REDIS_URL: redisServer.url });
    try {
      expect(await await fetch(`${app.url}/metrics`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.text())).toMatch(/bullmq_queue_jobs\{/);
      await stopRedis();
      // Twice: a scrape left waiting by the first must not hold up the next.
      for (let i = 0; i < 2; i++) {
        const metrics = await fetch(`${app.url}/metrics`, { signal: AbortSignal.timeout(5_000) });
        expect(metrics.status).toBe(200);
        const text = await metrics.text();
        expect(text).toMatch(/process_resident_memory_bytes \d+/);
        expect(text).not.toMatch(/bullmq_queue_jobs\{/);
      }
    } finally {
      await restartRedis();
      await app.close();
    }
  });
});

describe('with only the session store gone (REDIS_CACHE_URL)', () => {
  it('sign-up answers 503 and removes the account it could not log in', async () => {
    const app = await startTestApp({ REDIS_CACHE_URL: redisServer.url, RATE_LIMIT_SIGNUPS_PER_HOUR: '5' });
    try {
      await stopRedis();
      const newcomer = uniqueEmail('outage-sessions');
      await expectUnavailable(await post(app, 'auth.signup', { email: newcomer, password: PASSWORD, name: 'During' }, AbortSignal.timeout(5_000)));
      expect(await accountsWith(app, newcomer)).toBe(0);

      // Back again: the same person signs up with the same email, and the failed try did not use up the limit.
      await restartRedis();
      await expect
        .poll(
          async () => (await post(app, 'auth.signup', { email: newcomer, password: PASSWORD, name: 'After' }, AbortSignal.timeout(30_000))).status,
          {
            timeout: 30_000,
            interval: 250,
          },
        )
        .toBe(200);
      expect(await accountsWith(app, newcomer)).toBe(1);
    } finally {
      await restartRedis();
      await app.close();
    }
  });
});
