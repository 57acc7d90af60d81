/**
 * Password guessing: per account and per address (server/rate-limit/limits.ts),
 * without letting a limited attacker lock the real user out; every place a
 * password is checked is under the same limits, so a stolen session is no
 * password oracle either. Moved here from tests/integration/rate-limits.test.ts,
 * which keeps the API and scan-start limits.
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../drizzle/schema/index.js';
import { LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_IP } from '../../server/rate-limit/limits.js';
import { PASSWORD } from '../support/security-world.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { uniqueEmail } from '../support/test-env.js';
import { CookieJar, trpcFailure, trpcHttpClient } from '../support/trpc-http-client.js';

let proxied: RunningApp;
let direct: RunningApp;
beforeAll(async () => {
  [proxied, direct] = await Promise.all([
    startTestApp({ RATE_LIMIT_API_PER_MIN: '0', TRUST_PROXY: 'true' }),
    startTestApp({ RATE_LIMIT_API_PER_MIN: '0', TRUST_PROXY: 'false' }),
  ]);
});
afterAll(async () => {
  await Promise.all([proxied?.close(), direct?.close()]);
});

/** The error's data: its code and, when limited, the seconds to wait. */
const failure = async (promise: Promise<unknown>) => (await trpcFailure(promise)).data!;

/** A client whose requests come from `ip` as far as the app (behind a trusted proxy) can tell. */
const clientFrom = (app: RunningApp, ip: string, jar = new CookieJar()) => trpcHttpClient(app.url, jar, { 'x-forwarded-for': ip }).client;

async function signedUp(app: RunningApp, ip = '198.51.100.1') {
  const jar = new CookieJar();
  const client = clientFrom(app, ip, jar);
  const email = uniqueEmail('limits');
  await client.auth.signup.mutate({ email, password: PASSWORD, name: 'Limited' });
  return { client, email, jar };
}

/** Fifteen minutes is the window; the wait must be positive and within it. */
const expectRetryAfter = (data: Awaited<ReturnType<typeof failure>>) => {
  expect(data.code).toBe('TOO_MANY_REQUESTS');
  expect(data.retryAfterSeconds).toBeGreaterThan(0);
  expect(data.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
};

describe('login limits', () => {
  it('stop a brute force on one account while the real user still logs in from a known address', async () => {
    const { email } = await signedUp(proxied);
    const home = '203.0.113.10';
    await clientFrom(proxied, home).auth.login.mutate({ email, password: PASSWORD });

    const attacker = clientFrom(proxied, '192.0.2.66');
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) {
      expect((await failure(attacker.auth.login.mutate({ email, password: `guess ${i}` }))).code).toBe('UNAUTHORIZED');
    }
    // Blocked even with the right password, so a blocked client cannot learn that a guess was right.
    expectRetryAfter(await failure(attacker.auth.login.mutate({ email, password: PASSWORD })));
    // Another attacker address meets the same account counter.
    expect((await failure(clientFrom(proxied, '192.0.2.67').auth.login.mutate({ email, password: PASSWORD }))).code).toBe('TOO_MANY_REQUESTS');

    const user = await clientFrom(proxied, home).auth.login.mutate({ email: email.toUpperCase(), password: PASSWORD });
    expect(user.email).toBe(email);
    // The known address lives in Redis under the hashed email, shared by every web server.
    const account = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32);
    expect(await proxied.redis.zscore(`${proxied.config.redis.keyPrefix}:ratelimit:login:known-ips:${account}`, home)).not.toBeNull();
  });

  it('count the spellings of one email as one account', async () => {
    const { email } = await signedUp(proxied);
    const spellings = [email.toUpperCase(), `  ${email} `, email.replace(/^./, (c) => c.toUpperCase())];
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) {
      const attacker = clientFrom(proxied, `192.0.2.${100 + i}`);
      expect((await failure(attacker.auth.login.mutate({ email: spellings[i % spellings.length]!, password: `guess ${i}` }))).code).toBe(
        'UNAUTHORIZED',
      );
    }
    expectRetryAfter(await failure(clientFrom(proxied, '192.0.2.120').auth.login.mutate({ email, password: PASSWORD })));
  });

  it('do not let the real user’s own typos lock them out of their known address', async () => {
    const { email } = await signedUp(proxied);
    const home = clientFrom(proxied, '203.0.113.20');
    await home.auth.login.mutate({ email, password: PASSWORD });
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT + 2; i++) {
      expect((await failure(home.auth.login.mutate({ email, password: `typo ${i}` }))).code).toBe('UNAUTHORIZED');
    }
    await expect(home.auth.login.mutate({ email, password: PASSWORD })).resolves.toMatchObject({ email });
  });

  it('limit failed logins from one address across many accounts, leaving the accounts themselves usable', async () => {
    const sprayer = clientFrom(proxied, '192.0.2.99');
    for (let i = 0; i < LOGIN_FAILURES_PER_IP; i++) {
      expect((await failure(sprayer.auth.login.mutate({ email: uniqueEmail('spray'), password: PASSWORD }))).code).toBe('UNAUTHORIZED');
    }
    const { email } = await signedUp(proxied);
    expectRetryAfter(await failure(sprayer.auth.login.mutate({ email, password: PASSWORD })));
    await expect(clientFrom(proxied, '203.0.113.30').auth.login.mutate({ email, password: PASSWORD })).resolves.toMatchObject({ email });
  });

  it('count the connection’s address, not a forged X-Forwarded-For, when no proxy is trusted', async () => {
    // Signed up (through the trusting server, which shares this database) from 198.51.100.1: a place the owner is known at.
    const { email } = await signedUp(proxied, '198.51.100.1');
    // Every request claims a new address; without TRUST_PROXY they are all 127.0.0.1 to the limits.
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) {
      expect((await failure(clientFrom(direct, `192.0.2.${i + 1}`).auth.login.mutate({ email, password: `guess ${i}` }))).code).toBe('UNAUTHORIZED');
    }
    // Claiming the owner's known place does not let the guesser past the account's limit.
    expectRetryAfter(await failure(clientFrom(direct, '198.51.100.1').auth.login.mutate({ email, password: PASSWORD })));
  });
});

describe('password checks of a logged-in session', () => {
  it('a password change is under the account limit: a stolen session cannot guess the password', async () => {
    const { email } = await signedUp(proxied);
    const thief = new CookieJar();
    await clientFrom(proxied, '203.0.113.40', thief).auth.login.mutate({ email, password: PASSWORD });
    // The thief uses the stolen cookie from an address the account has never logged in from.
    const stolen = clientFrom(proxied, '192.0.2.150', thief);
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) {
      expect(
        (await failure(stolen.auth.changePassword.mutate({ currentPassword: `guess ${i}`, newPassword: 'the thief’s new password' }))).code,
      ).toBe('BAD_REQUEST');
    }
    expectRetryAfter(await failure(stolen.auth.changePassword.mutate({ currentPassword: PASSWORD, newPassword: 'the thief’s new password' })));
  });

  it('deleting the account is under the same limit, and a blocked guess deletes nothing', async () => {
    const { email } = await signedUp(proxied);
    const thief = new CookieJar();
    await clientFrom(proxied, '203.0.113.41', thief).auth.login.mutate({ email, password: PASSWORD });
    const stolen = clientFrom(proxied, '192.0.2.151', thief);
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) {
      expect((await failure(stolen.auth.deleteAccount.mutate({ password: `guess ${i}` }))).code).toBe('UNAUTHORIZED');
    }
    expectRetryAfter(await failure(stolen.auth.deleteAccount.mutate({ password: PASSWORD })));
    expect(await proxied.database.db.select({ id: users.id }).from(users).where(eq(users.email, email))).toHaveLength(1);
  });
});
