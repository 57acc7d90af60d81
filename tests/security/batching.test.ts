/**
 * Limits that must hold however the calls arrive: many in one tRPC batch, or many
 * HTTP requests at once. An attempt is reserved in Redis before the password is
 * checked (server/rate-limit/sliding-window.ts), so N parallel guesses check at
 * most the limit's number of passwords; a batch holds at most MAX_BATCH_SIZE calls
 * and the auth mutations are refused inside one.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scans, sources, users } from '../../drizzle/schema/index.js';
import { LOGIN_FAILURES_PER_ACCOUNT, SCAN_STARTS_PER_HOUR } from '../../server/rate-limit/limits.js';
import { MAX_BATCH_SIZE } from '../../shared/trpc-limits.js';
import { PASSWORD, signUp } from '../support/security-world.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { uniqueEmail } from '../support/test-env.js';
import { CookieJar, trpcFailure, trpcHttpClient } from '../support/trpc-http-client.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp({ RATE_LIMIT_API_PER_MIN: '0', TRUST_PROXY: 'true' });
});
afterAll(() => app?.close());

const PARALLEL = 60;

/** A client whose requests come from `ip` (the app trusts X-Forwarded-For here). */
const clientFrom = (ip: string, jar = new CookieJar()) => trpcHttpClient(app.url, jar, { 'x-forwarded-for': ip }).client;

/** One HTTP request carrying a tRPC batch: `calls` as [procedure path, input] pairs. */
async function postBatch(calls: Array<[string, unknown]>, headers: Record<string, string> = {}) {
  const body = Object.fromEntries(calls.map(([, input], i) => [i, { json: input }]));
  const response = await fetch(`${app.url}/trpc/${calls.map(([path]) => path).join(',')}?batch=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: app.url, ...headers },
    body: JSON.stringify(body),
  });
  const answers = (await response.json()) as unknown;
  return { response, answers };
}

/** Each settled call's outcome: 'success' or the tRPC error code. */
async function outcomes(calls: Array<Promise<unknown>>): Promise<string[]> {
  return Promise.all(
    calls.map((call) =>
      call.then(
        () => 'success',
        async (error) => (await trpcFailure(Promise.reject(error))).data?.code ?? 'unknown',
      ),
    ),
  );
}
const count = (list: string[], value: string) => list.filter((item) => item === value).length;

async function passwordHashOf(userId: number) {
  const [row] = await app.database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return row?.hash;
}

describe('tRPC batches', () => {
  it('a 200-call login batch is refused whole: no password checked, nobody logged in', async () => {
    const owner = await signUp(app, 'batch-victim');
    const guesses: Array<[string, unknown]> = Array.from({ length: 199 }, (_, i) => ['auth.login', { email: owner.email, password: `guess ${i}` }]);
    const { response, answers } = await postBatch([...guesses, ['auth.login', { email: owner.email, password: PASSWORD }]], {
      'x-forwarded-for': '192.0.2.10',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(JSON.stringify(answers)).toMatch(/batch/i);
    expect(JSON.stringify(answers)).not.toMatch(/"result"/);
    // Nothing was counted either: the same address still has the whole per-account allowance.
    const attacker = clientFrom('192.0.2.10');
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) {
      expect((await trpcFailure(attacker.auth.login.mutate({ email: owner.email, password: `single ${i}` }))).data?.code).toBe('UNAUTHORIZED');
    }
  });

  it(`holds at most ${MAX_BATCH_SIZE} calls`, async () => {
    const user = await signUp(app, 'batch-size');
    const headers = { cookie: user.jar.cookie! };
    const query = (n: number) =>
      fetch(`${app.url}/trpc/${Array(n).fill('sources.list').join(',')}?batch=1&input=${encodeURIComponent('{}')}`, { headers });
    const allowed = await query(MAX_BATCH_SIZE);
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toHaveLength(MAX_BATCH_SIZE);
    expect((await query(MAX_BATCH_SIZE + 1)).status).toBe(400);
  });

  it('refuses login inside a batch of several calls with a clear error, checking no password', async () => {
    const owner = await signUp(app, 'batched-login');
    const { response, answers } = await postBatch(
      [
        ['auth.login', { email: owner.email, password: 'wrong guess' }],
        ['auth.login', { email: owner.email, password: PASSWORD }],
      ],
      { 'x-forwarded-for': '192.0.2.11' },
    );
    expect(response.headers.get('set-cookie')).toBeNull();
    const [first, second] = answers as Array<{ error?: { json: { message: string; data: { code: string } } } }>;
    for (const answer of [first, second]) {
      expect(answer?.error?.json.data.code).toBe('BAD_REQUEST');
      expect(answer?.error?.json.message).toMatch(/on its own|not in a batch/i);
    }
    const attacker = clientFrom('192.0.2.11');
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i++) {
      expect((await trpcFailure(attacker.auth.login.mutate({ email: owner.email, password: `single ${i}` }))).data?.code).toBe('UNAUTHORIZED');
    }
  });

  it('refuses sign-up, logout, password change and account deletion inside a batch, changing nothing', async () => {
    const user = await signUp(app, 'batched-account');
    const headers = { cookie: user.jar.cookie!, 'x-forwarded-for': '192.0.2.12' };
    const newcomers = [uniqueEmail('batched-signup'), uniqueEmail('batched-signup')];
    const hashBefore = await passwordHashOf(user.user.id);
    const { answers } = await postBatch(
      [
        ...newcomers.map((email): [string, unknown] => ['auth.signup', { email, password: PASSWORD, name: 'Batch' }]),
        ['auth.changePassword', { currentPassword: PASSWORD, newPassword: 'a brand new password' }],
        ['auth.deleteAccount', { password: PASSWORD }],
        ['auth.logout', undefined],
      ],
      headers,
    );
    const codes = (answers as Array<{ error?: { json: { data: { code: string } } } }>).map((answer) => answer.error?.json.data.code ?? 'success');
    expect(codes).toEqual(Array(5).fill('BAD_REQUEST'));
    for (const email of newcomers) expect(await app.database.db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
    expect(await passwordHashOf(user.user.id)).toBe(hashBefore);
    expect(await user.client.auth.me.query()).toMatchObject({ id: user.user.id });
  });
});

describe(`${PARALLEL} requests at once`, () => {
  it('check at most the account limit’s number of passwords, and then the right password does not log in', async () => {
    const owner = await signUp(app, 'parallel-login');
    const attacker = clientFrom('192.0.2.20');
    const first = await outcomes(
      Array.from({ length: PARALLEL }, (_, i) => attacker.auth.login.mutate({ email: owner.email, password: `guess ${i}` })),
    );
    expect(count(first, 'UNAUTHORIZED')).toBeLessThanOrEqual(LOGIN_FAILURES_PER_ACCOUNT);
    expect(count(first, 'UNAUTHORIZED') + count(first, 'TOO_MANY_REQUESTS')).toBe(PARALLEL);

    // The right password in a second wave of guesses, from this address and another: none gets in.
    const jars = Array.from({ length: PARALLEL }, () => new CookieJar());
    const second = await outcomes(
      jars.map((jar, i) =>
        clientFrom(i % 2 ? '192.0.2.20' : '192.0.2.21', jar).auth.login.mutate({
          email: owner.email,
          password: i === PARALLEL / 2 ? PASSWORD : `more ${i}`,
        }),
      ),
    );
    expect(second).toEqual(Array(PARALLEL).fill('TOO_MANY_REQUESTS'));
    expect(jars.filter((jar) => jar.cookie)).toEqual([]);
  });

  it('with the right password among the guesses, at most the limit’s number are checked', async () => {
    const owner = await signUp(app, 'parallel-mix');
    const guesses = Array.from({ length: PARALLEL }, (_, i) => (i === PARALLEL - 1 ? PASSWORD : `guess ${i}`));
    const results = await outcomes(guesses.map((password) => clientFrom('192.0.2.22').auth.login.mutate({ email: owner.email, password })));
    expect(count(results, 'UNAUTHORIZED') + count(results, 'success')).toBeLessThanOrEqual(LOGIN_FAILURES_PER_ACCOUNT);
  });

  it('a stolen session guessing the current password for a change checks at most the limit, and the right one changes nothing', async () => {
    const owner = await signUp(app, 'parallel-change');
    const thief = new CookieJar();
    await clientFrom('203.0.113.50', thief).auth.login.mutate({ email: owner.email, password: PASSWORD });
    const hashBefore = await passwordHashOf(owner.user.id);
    const stolen = clientFrom('192.0.2.30', thief);
    const guesses = await outcomes(
      Array.from({ length: PARALLEL }, (_, i) =>
        stolen.auth.changePassword.mutate({ currentPassword: `guess ${i}`, newPassword: 'the thief’s new password' }),
      ),
    );
    expect(count(guesses, 'BAD_REQUEST')).toBeLessThanOrEqual(LOGIN_FAILURES_PER_ACCOUNT);
    expect(count(guesses, 'BAD_REQUEST') + count(guesses, 'TOO_MANY_REQUESTS')).toBe(PARALLEL);

    const right = await outcomes(
      Array.from({ length: 5 }, () => stolen.auth.changePassword.mutate({ currentPassword: PASSWORD, newPassword: 'the thief’s new password' })),
    );
    expect(right).toEqual(Array(5).fill('TOO_MANY_REQUESTS'));
    expect(await passwordHashOf(owner.user.id)).toBe(hashBefore);
    // The owner's own session was not ended by a password change.
    expect(await owner.client.auth.me.query()).toMatchObject({ id: owner.user.id });
  });

  it('a stolen session guessing the password to delete the account checks at most the limit, and the account stays', async () => {
    const owner = await signUp(app, 'parallel-delete');
    const thief = new CookieJar();
    await clientFrom('203.0.113.51', thief).auth.login.mutate({ email: owner.email, password: PASSWORD });
    const stolen = clientFrom('192.0.2.31', thief);
    const guesses = await outcomes(Array.from({ length: PARALLEL }, (_, i) => stolen.auth.deleteAccount.mutate({ password: `guess ${i}` })));
    expect(count(guesses, 'UNAUTHORIZED')).toBeLessThanOrEqual(LOGIN_FAILURES_PER_ACCOUNT);
    expect(count(guesses, 'UNAUTHORIZED') + count(guesses, 'TOO_MANY_REQUESTS')).toBe(PARALLEL);

    expect(await outcomes([stolen.auth.deleteAccount.mutate({ password: PASSWORD })])).toEqual(['TOO_MANY_REQUESTS']);
    expect(await app.database.db.select({ id: users.id }).from(users).where(eq(users.id, owner.user.id))).toHaveLength(1);
  });
});

describe('the scan-start limit', () => {
  /** Libraries made directly in the database: the limit, not how libraries are added, is under test. */
  async function librariesOf(userId: number, n: number): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const [row] = await app.database.db.insert(sources).values({ userId, kind: 'upload', label: `Parallel ${i}` });
      ids.push(row.insertId);
    }
    return ids;
  }
  const startedScans = async (userId: number) => (await app.database.db.select({ id: scans.id }).from(scans).where(eq(scans.userId, userId))).length;

  it(`starts at most ${SCAN_STARTS_PER_HOUR} scans from 25 parallel starts`, async () => {
    const user = await signUp(app, 'parallel-scans');
    const libraries = await librariesOf(user.user.id, 25);
    const results = await outcomes(libraries.map((sourceId) => user.client.scans.start.mutate({ sourceId })));
    expect(count(results, 'success')).toBe(SCAN_STARTS_PER_HOUR);
    expect(count(results, 'TOO_MANY_REQUESTS')).toBe(25 - SCAN_STARTS_PER_HOUR);
    expect(await startedScans(user.user.id)).toBe(SCAN_STARTS_PER_HOUR);
  });

  it(`starts at most ${SCAN_STARTS_PER_HOUR} scans from one batch`, async () => {
    const user = await signUp(app, 'batched-scans');
    const libraries = await librariesOf(user.user.id, MAX_BATCH_SIZE);
    const { answers } = await postBatch(
      libraries.map((sourceId) => ['scans.start', { sourceId }]),
      { cookie: user.jar.cookie! },
    );
    const started = (answers as Array<{ result?: unknown }>).filter((answer) => answer.result);
    expect(started).toHaveLength(SCAN_STARTS_PER_HOUR);
    expect(await startedScans(user.user.id)).toBe(SCAN_STARTS_PER_HOUR);
  });
});
