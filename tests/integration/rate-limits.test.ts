import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sources } from '../../drizzle/schema/index.js';
import { SCAN_STARTS_PER_HOUR } from '../../server/rate-limit/limits.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { uniqueEmail } from '../support/test-env.js';
import { CookieJar, trpcFailure, trpcHttpClient } from '../support/trpc-http-client.js';

const password = 'correct horse battery staple';

let limited: RunningApp;
let unlimited: RunningApp;
beforeAll(async () => {
  [limited, unlimited] = await Promise.all([
    startTestApp({ RATE_LIMIT_API_PER_MIN: '20', TRUST_PROXY: 'true' }),
    startTestApp({ RATE_LIMIT_API_PER_MIN: '0', TRUST_PROXY: 'true' }),
  ]);
});
afterAll(async () => {
  await Promise.all([limited?.close(), unlimited?.close()]);
});

/** The error's data: its code and, when limited, the seconds to wait. */
const failure = async (promise: Promise<unknown>) => (await trpcFailure(promise)).data!;

/** A client whose requests come from `ip` as far as the app (behind a trusted proxy) can tell. */
const clientFrom = (app: RunningApp, ip: string) => trpcHttpClient(app.url, new CookieJar(), { 'x-forwarded-for': ip }).client;

async function signedUp(app: RunningApp, ip = '198.51.100.1') {
  const client = clientFrom(app, ip);
  const email = uniqueEmail('limits');
  const user = await client.auth.signup.mutate({ email, password, name: 'Limited' });
  return { client, email, user };
}

describe('the per-user API limit', () => {
  it('answers the 21st call in a minute with TOO_MANY_REQUESTS and the seconds to wait', async () => {
    const { client } = await signedUp(limited);
    for (let i = 0; i < 20; i++) await client.scans.list.query();
    const error = await failure(client.scans.list.query());
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('counts each user on their own', async () => {
    const first = await signedUp(limited);
    for (let i = 0; i < 20; i++) await first.client.scans.list.query();
    const second = await signedUp(limited);
    await expect(second.client.scans.list.query()).resolves.toEqual(expect.any(Array));
  });

  it('is off with RATE_LIMIT_API_PER_MIN=0', async () => {
    const { client } = await signedUp(unlimited);
    for (let i = 0; i < 120; i++) await client.scans.list.query();
  });
});

describe('the scan start limit', () => {
  /** A library made directly in the database: the limit, not how libraries are added, is under test. */
  async function libraryOf(userId: number) {
    const [row] = await unlimited.database.db.insert(sources).values({ userId, kind: 'upload', label: 'Limited library' });
    return row.insertId;
  }

  it('refuses the sixth scan start in an hour', async () => {
    const { client, user } = await signedUp(unlimited);
    const sourceId = await libraryOf(user.id);
    for (let i = 0; i < SCAN_STARTS_PER_HOUR; i++) {
      const { scanId } = await client.scans.start.mutate({ sourceId });
      await client.scans.cancel.mutate({ scanId });
    }
    const error = await failure(client.scans.start.mutate({ sourceId }));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(3600);
    // Refused before anything was written: only the five scans exist.
    expect(await client.scans.list.query({ limit: 20 })).toHaveLength(SCAN_STARTS_PER_HOUR);
  });

  it('does not count a start refused because a scan is already running', async () => {
    const { client, user } = await signedUp(unlimited);
    const sourceId = await libraryOf(user.id);
    const { scanId } = await client.scans.start.mutate({ sourceId });
    for (let i = 0; i < SCAN_STARTS_PER_HOUR + 1; i++) {
      expect((await failure(client.scans.start.mutate({ sourceId }))).code).toBe('CONFLICT');
    }
    // The refused starts gave their places back: the other four of the hour are still there.
    await client.scans.cancel.mutate({ scanId });
    for (let i = 1; i < SCAN_STARTS_PER_HOUR; i++) {
      const next = await client.scans.start.mutate({ sourceId });
      await client.scans.cancel.mutate({ scanId: next.scanId });
    }
    expect((await failure(client.scans.start.mutate({ sourceId }))).code).toBe('TOO_MANY_REQUESTS');
  });
});

// The login limits (brute force) are in tests/security/brute-force.test.ts.
