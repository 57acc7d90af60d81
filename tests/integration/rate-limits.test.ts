import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_IP, SCAN_STARTS_PER_HOUR } from '../../server/rate-limit/limits.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { uniqueEmail } from '../support/test-env.js';
import { CookieJar, trpcHttpClient } from '../support/trpc-http-client.js';

const password = 'correct horse battery staple';

let limited: RunningApp;
let unlimited: RunningApp;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rate-limits-'));
  await mkdir(join(root, 'library'));
  [limited, unlimited] = await Promise.all([
    startTestApp({ RATE_LIMIT_API_PER_MIN: '20', TRUST_PROXY: 'true' }),
    startTestApp({ RATE_LIMIT_API_PER_MIN: '0', TRUST_PROXY: 'true', LOCAL_IMPORT_ROOTS: root }),
  ]);
});
afterAll(async () => {
  await Promise.all([limited?.close(), unlimited?.close()]);
  await rm(root, { recursive: true, force: true });
});

interface LimitedData {
  code?: string;
  retryAfterSeconds?: number | null;
}

async function failure(promise: Promise<unknown>): Promise<LimitedData> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return error.data as LimitedData;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A client whose requests come from `ip` as far as the app (behind a trusted proxy) can tell. */
const clientFrom = (app: RunningApp, ip: string) => trpcHttpClient(app.url, new CookieJar(), { 'x-forwarded-for': ip }).client;

async function signedUp(app: RunningApp, ip = '198.51.100.1') {
  const client = clientFrom(app, ip);
  const email = uniqueEmail('limits');
  await client.auth.signup.mutate({ email, password, name: 'Limited' });
  return { client, email };
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
  it('refuses the sixth scan start in an hour', async () => {
    const { client } = await signedUp(unlimited);
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: join(root, 'library') });
    for (let i = 0; i < SCAN_STARTS_PER_HOUR; i++) {
      const { scanId } = await client.scans.start.mutate({ sourceId });
      await client.scans.cancel.mutate({ scanId });
    }
    const error = await failure(client.scans.start.mutate({ sourceId }));
    expect(error.code).toBe('TOO_MANY_REQUESTS');
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    // Refused before anything was written: only the five scans exist.
    expect(await client.scans.list.query({ limit: 20 })).toHaveLength(SCAN_STARTS_PER_HOUR);
  });

  it('does not count a start refused because a scan is already running', async () => {
    const { client } = await signedUp(unlimited);
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: join(root, 'library') });
    await client.scans.start.mutate({ sourceId });
    for (let i = 0; i < SCAN_STARTS_PER_HOUR + 1; i++) {
      expect((await failure(client.scans.start.mutate({ sourceId }))).code).toBe('CONFLICT');
    }
  });
});

describe('the login limits', () => {
  it('stops a brute force on one account while the real user still logs in from a known address', async () => {
    const { email } = await signedUp(unlimited);
    const home = '203.0.113.10';
    await clientFrom(unlimited, home).auth.login.mutate({ email, password });

    const attacker = clientFrom(unlimited, '192.0.2.66');
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) {
      expect((await failure(attacker.auth.login.mutate({ email, password: `guess ${i}` }))).code).toBe('UNAUTHORIZED');
    }
    // Blocked even with the right password, so a blocked client cannot learn that a guess was right.
    const blocked = await failure(attacker.auth.login.mutate({ email, password }));
    expect(blocked.code).toBe('TOO_MANY_REQUESTS');
    expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
    // Another attacker address meets the same account counter.
    expect((await failure(clientFrom(unlimited, '192.0.2.67').auth.login.mutate({ email, password }))).code).toBe('TOO_MANY_REQUESTS');

    const user = await clientFrom(unlimited, home).auth.login.mutate({ email: email.toUpperCase(), password });
    expect(user.email).toBe(email);
    // The known address lives in Redis under the hashed email, shared by every web server.
    const account = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32);
    expect(await unlimited.redis.zscore(`${unlimited.config.redis.keyPrefix}:ratelimit:login:known-ips:${account}`, home)).not.toBeNull();
  });

  it('does not let the real user’s own typos lock them out of their known address', async () => {
    const { email } = await signedUp(unlimited);
    const home = clientFrom(unlimited, '203.0.113.20');
    await home.auth.login.mutate({ email, password });
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT + 2; i++) {
      expect((await failure(home.auth.login.mutate({ email, password: `typo ${i}` }))).code).toBe('UNAUTHORIZED');
    }
    await expect(home.auth.login.mutate({ email, password })).resolves.toMatchObject({ email });
  });

  it('limits failed logins from one address across many accounts', async () => {
    const sprayer = clientFrom(unlimited, '192.0.2.99');
    for (let i = 0; i < LOGIN_FAILURES_PER_IP; i++) {
      expect((await failure(sprayer.auth.login.mutate({ email: uniqueEmail('spray'), password }))).code).toBe('UNAUTHORIZED');
    }
    const { email } = await signedUp(unlimited);
    const blocked = await failure(sprayer.auth.login.mutate({ email, password }));
    expect(blocked.code).toBe('TOO_MANY_REQUESTS');
    // The account itself is untouched: its owner logs in from elsewhere.
    await expect(clientFrom(unlimited, '203.0.113.30').auth.login.mutate({ email, password })).resolves.toMatchObject({ email });
  });
});
