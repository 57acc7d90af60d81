import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCAN_STARTS_PER_HOUR } from '../../server/rate-limit/limits.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { uniqueEmail } from '../support/test-env.js';
import { CookieJar, trpcFailure, trpcHttpClient } from '../support/trpc-http-client.js';

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

/** The error's data: its code and, when limited, the seconds to wait. */
const failure = async (promise: Promise<unknown>) => (await trpcFailure(promise)).data!;

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

// The login limits (brute force) are in tests/security/brute-force.test.ts.
