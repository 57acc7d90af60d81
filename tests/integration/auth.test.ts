import { TRPCClientError } from '@trpc/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../drizzle/schema/index.js';
import { SESSION_COOKIE } from '../../server/http/session.js';
import type { AppRouter } from '../../server/trpc/router.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { uniqueEmail } from '../support/test-env.js';
import { CookieJar, trpcHttpClient } from '../support/trpc-http-client.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const password = 'correct horse battery staple';

async function errorOf(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCClientError) return error as TRPCClientError<AppRouter>;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const sessionKey = (cookie: string) => {
  const signed = decodeURIComponent(cookie.split('=')[1]!);
  return `${app.config.redis.keyPrefix}:sess:${signed.slice(2, signed.lastIndexOf('.'))}`;
};

describe('accounts and sessions', () => {
  it('signs up with a normalised email, stores an argon2id hash and logs the user in', async () => {
    const { client, jar } = trpcHttpClient(app.url);
    const email = uniqueEmail('Signup').toUpperCase();
    const user = await client.auth.signup.mutate({ email: `  ${email} `, password, name: 'Ada' });
    expect(user).toMatchObject({ email: email.toLowerCase(), name: 'Ada', role: 'user' });
    expect(jar.cookie).toMatch(new RegExp(`^${SESSION_COOKIE.replace('.', '\\.')}=`));
    expect(await client.auth.me.query()).toEqual(user);

    const [row] = await app.database.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.email).toBe(email.toLowerCase());
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row?.passwordHash).not.toContain(password);
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    const { client } = trpcHttpClient(app.url);
    const email = uniqueEmail('dup');
    await client.auth.signup.mutate({ email, password, name: 'First' });
    const error = await errorOf(trpcHttpClient(app.url).client.auth.signup.mutate({ email: email.toUpperCase(), password, name: 'Second' }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.message).toBe('An account with this email already exists');
    const rows = await app.database.db.select().from(users).where(eq(users.email, email));
    expect(rows).toHaveLength(1);
  });

  it('explains invalid sign-up input field by field', async () => {
    const error = await errorOf(trpcHttpClient(app.url).client.auth.signup.mutate({ email: 'not-an-email', password: 'short', name: '' }));
    expect(error.data?.code).toBe('BAD_REQUEST');
    const fieldErrors = error.data!.zodError!.fieldErrors;
    expect(Object.keys(fieldErrors).sort()).toEqual(['email', 'name', 'password']);
    expect(error.message).toContain('password: Password must be at least 10 characters');
  });

  it('logs in with the right password and refuses a wrong one or an unknown email alike', async () => {
    const email = uniqueEmail('login');
    await trpcHttpClient(app.url).client.auth.signup.mutate({ email, password, name: 'Grace' });

    const { client } = trpcHttpClient(app.url);
    const wrong = await errorOf(client.auth.login.mutate({ email, password: 'not the password' }));
    expect(wrong.data?.code).toBe('UNAUTHORIZED');
    expect(wrong.message).toBe('Wrong email or password');
    const unknown = await errorOf(client.auth.login.mutate({ email: uniqueEmail('ghost'), password }));
    expect(unknown.message).toBe('Wrong email or password');
    expect(await client.auth.me.query()).toBeNull();

    const user = await client.auth.login.mutate({ email: email.toUpperCase(), password });
    expect(user.name).toBe('Grace');
    expect((await client.auth.me.query())?.email).toBe(email);
  });

  it('gives a new session id at login, so a planted or earlier session id is useless', async () => {
    const email = uniqueEmail('fixation');
    const first = trpcHttpClient(app.url);
    await first.client.auth.signup.mutate({ email, password, name: 'Victim' });
    const before = first.jar.cookie!;

    // The attacker knows `before` and waits for the victim to log in on that browser.
    await first.client.auth.login.mutate({ email, password });
    const after = first.jar.cookie!;
    expect(after).not.toBe(before);
    expect(await app.redis.exists(sessionKey(before))).toBe(0);

    const attackerJar = new CookieJar();
    attackerJar.cookie = before;
    expect(await trpcHttpClient(app.url, attackerJar).client.auth.me.query()).toBeNull();
  });

  it('logout destroys the session in Redis and clears the cookie', async () => {
    const { client, jar } = trpcHttpClient(app.url);
    await client.auth.signup.mutate({ email: uniqueEmail('logout'), password, name: 'Linus' });
    const cookie = jar.cookie!;
    expect(await app.redis.exists(sessionKey(cookie))).toBe(1);

    await client.auth.logout.mutate();
    expect(jar.cookie).toBeUndefined();
    expect(await app.redis.exists(sessionKey(cookie))).toBe(0);

    const replay = new CookieJar();
    replay.cookie = cookie;
    expect(await trpcHttpClient(app.url, replay).client.auth.me.query()).toBeNull();
  });

  it('a password change ends every other session of the user, keeps this one, and needs the current password', async () => {
    const email = uniqueEmail('change');
    const here = trpcHttpClient(app.url);
    const user = await here.client.auth.signup.mutate({ email, password, name: 'Grace' });
    const laptop = trpcHttpClient(app.url);
    const phone = trpcHttpClient(app.url);
    await laptop.client.auth.login.mutate({ email, password });
    await phone.client.auth.login.mutate({ email, password });
    const someoneElse = trpcHttpClient(app.url);
    await someoneElse.client.auth.signup.mutate({ email: uniqueEmail('bystander'), password, name: 'Other' });

    const wrong = await errorOf(here.client.auth.changePassword.mutate({ currentPassword: 'not it at all', newPassword: 'a brand new password' }));
    expect(wrong.data?.code).toBe('BAD_REQUEST');
    expect(wrong.message).toBe('The current password is wrong');
    expect(await laptop.client.auth.me.query()).toMatchObject({ id: user.id });

    const tooShort = await errorOf(here.client.auth.changePassword.mutate({ currentPassword: password, newPassword: 'short' }));
    expect(tooShort.data?.code).toBe('BAD_REQUEST');

    const laptopCookie = laptop.jar.cookie!;
    expect(await here.client.auth.changePassword.mutate({ currentPassword: password, newPassword: 'a brand new password' })).toEqual({
      endedSessions: 2,
    });
    expect(await here.client.auth.me.query()).toMatchObject({ id: user.id });
    expect(await laptop.client.auth.me.query()).toBeNull();
    expect(await phone.client.auth.me.query()).toBeNull();
    expect(await app.redis.exists(sessionKey(laptopCookie))).toBe(0);
    expect(await someoneElse.client.auth.me.query()).not.toBeNull();

    expect((await errorOf(trpcHttpClient(app.url).client.auth.login.mutate({ email, password }))).data?.code).toBe('UNAUTHORIZED');
    expect(await trpcHttpClient(app.url).client.auth.login.mutate({ email, password: 'a brand new password' })).toMatchObject({ id: user.id });
  });

  it('answers UNAUTHORIZED to a protected procedure without a session', async () => {
    const error = await errorOf(trpcHttpClient(app.url).client.auth.logout.mutate());
    expect(error.data?.code).toBe('UNAUTHORIZED');
    expect(error.data?.httpStatus).toBe(401);
  });

  it('sets an httpOnly, SameSite=Lax, 30-day session cookie', async () => {
    const response = await fetch(`${app.url}/trpc/auth.signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify({ json: { email: uniqueEmail('cookie'), password, name: 'Cookie' } }),
    });
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const expires = new Date(/Expires=([^;]+)/.exec(setCookie)![1]!).getTime();
    expect(expires - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
  });
});

describe('CSRF protection', () => {
  const signupBody = () => JSON.stringify({ json: { email: uniqueEmail('csrf'), password, name: 'Mallory' } });

  it('refuses a cross-origin mutation', async () => {
    const response = await fetch(`${app.url}/trpc/auth.signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: signupBody(),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('refuses form-encoded and multipart mutations even from our own origin', async () => {
    for (const contentType of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
      const response = await fetch(`${app.url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': contentType, origin: app.url },
        body: 'email=a%40b.c&password=x',
      });
      expect(response.status, contentType).toBe(403);
    }
  });

  it('refuses a request the browser marks as cross-site', async () => {
    const response = await fetch(`${app.url}/trpc/auth.signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body: signupBody(),
    });
    expect(response.status).toBe(403);
  });

  it('accepts a same-origin JSON mutation', async () => {
    const response = await fetch(`${app.url}/trpc/auth.signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url, 'sec-fetch-site': 'same-origin' },
      body: signupBody(),
    });
    expect(response.status).toBe(200);
  });

  it('does not run a mutation over GET', async () => {
    const input = encodeURIComponent(JSON.stringify({ json: { email: uniqueEmail('get'), password, name: 'Get' } }));
    const response = await fetch(`${app.url}/trpc/auth.signup?input=${input}`);
    expect(response.status).toBe(405);
  });
});
