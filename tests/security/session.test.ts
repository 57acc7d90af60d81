/**
 * Sessions: a fresh id at every login (a planted or forged cookie is useless),
 * logout and password change really end sessions in Redis (the store every web
 * server shares), and the cookie carries the right flags, including Secure in
 * production behind a TLS-terminating proxy.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../drizzle/schema/index.js';
import { SESSION_COOKIE } from '../../server/http/session.js';
import { PASSWORD, signUp } from '../support/security-world.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { CookieJar, trpcFailure, trpcHttpClient } from '../support/trpc-http-client.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp({ RATE_LIMIT_API_PER_MIN: '0' });
});
afterAll(() => app?.close());

/** The session id inside a signed `ch.sid=s:<id>.<signature>` cookie. */
const sessionId = (cookie: string) => {
  const signed = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  return signed.slice(2, signed.lastIndexOf('.'));
};
const sessionKey = (cookie: string) => app.services.sessions.sessionKey(sessionId(cookie));
const indexOf = (userId: number) => app.redis.smembers(`${app.config.redis.keyPrefix}:user-sessions:${userId}`);
const jarWith = (cookie: string) => Object.assign(new CookieJar(), { cookie });

describe('session fixation', () => {
  it('replaces a planted session at login: the attacker’s cookie neither becomes the victim nor survives', async () => {
    // The attacker logs in to their own account and plants that cookie in the victim's browser.
    const attacker = await signUp(app, 'planter');
    const planted = attacker.jar.cookie!;
    const victim = await signUp(app, 'planted-victim');
    const browser = trpcHttpClient(app.url, jarWith(planted));
    expect((await browser.client.auth.me.query())?.id).toBe(attacker.user.id);

    await browser.client.auth.login.mutate({ email: victim.email, password: PASSWORD });
    expect(sessionId(browser.jar.cookie!)).not.toBe(sessionId(planted));
    expect((await browser.client.auth.me.query())?.id).toBe(victim.user.id);
    // The planted id is gone from the store, so whoever holds it is nobody.
    expect(await app.redis.exists(app.services.sessions.sessionKey(sessionId(planted)))).toBe(0);
    expect(await trpcHttpClient(app.url, jarWith(planted)).client.auth.me.query()).toBeNull();
  });

  it('ignores a forged cookie (an id the attacker chose, without our signature) and issues its own', async () => {
    const victim = await signUp(app, 'forged-victim');
    const forged = `${SESSION_COOKIE}=${encodeURIComponent('s:attacker-chosen-session-id.bm90IG91ciBzaWduYXR1cmU')}`;
    const browser = trpcHttpClient(app.url, jarWith(forged));
    expect(await browser.client.auth.me.query()).toBeNull();
    await browser.client.auth.login.mutate({ email: victim.email, password: PASSWORD });
    expect(sessionId(browser.jar.cookie!)).not.toBe('attacker-chosen-session-id');
    expect(await app.redis.exists(`${app.config.redis.keyPrefix}:sess:attacker-chosen-session-id`)).toBe(0);
  });

  it('makes session ids of 192 random bits (32 base64url characters), never repeated', async () => {
    const ids = new Set<string>();
    const { email } = await signUp(app, 'entropy');
    for (let i = 0; i < 20; i++) {
      const { client, jar } = trpcHttpClient(app.url);
      await client.auth.login.mutate({ email, password: PASSWORD });
      const id = sessionId(jar.cookie!);
      expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(20);
  });
});

describe('ending sessions', () => {
  it('logout deletes the session from Redis and from the user’s index, expires the cookie, and a replay is nobody', async () => {
    const user = await signUp(app, 'logout');
    const cookie = user.jar.cookie!;
    expect(await app.redis.exists(sessionKey(cookie))).toBe(1);
    expect(await indexOf(user.user.id)).toContain(sessionId(cookie));

    const response = await fetch(`${app.url}/trpc/auth.logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url, cookie },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE.replace('.', '\\.')}=;.*Path=/;.*Expires=Thu, 01 Jan 1970`));
    expect(await app.redis.exists(sessionKey(cookie))).toBe(0);
    expect(await indexOf(user.user.id)).not.toContain(sessionId(cookie));
    expect(await trpcHttpClient(app.url, jarWith(cookie)).client.auth.me.query()).toBeNull();
  });

  it('a password change ends every other session of the user in Redis, keeps this one, and touches no one else', async () => {
    const user = await signUp(app, 'changer');
    const stolen = trpcHttpClient(app.url);
    await stolen.client.auth.login.mutate({ email: user.email, password: PASSWORD });
    const bystander = await signUp(app, 'bystander');
    const stolenCookie = stolen.jar.cookie!;

    expect(await user.client.auth.changePassword.mutate({ currentPassword: PASSWORD, newPassword: 'a completely new passphrase' })).toEqual({
      endedSessions: 1,
    });
    expect(await app.redis.exists(sessionKey(stolenCookie))).toBe(0);
    expect(await indexOf(user.user.id)).toEqual([sessionId(user.jar.cookie!)]);
    expect(await trpcHttpClient(app.url, jarWith(stolenCookie)).client.auth.me.query()).toBeNull();
    expect((await user.client.auth.me.query())?.id).toBe(user.user.id);
    expect((await bystander.client.auth.me.query())?.id).toBe(bystander.user.id);
  });
});

describe('the user behind a session is read from the database, not from the session', () => {
  // A second web server on the same database and Redis: the change must reach every server.
  let other: RunningApp;
  beforeAll(async () => {
    other = await startTestApp({ RATE_LIMIT_API_PER_MIN: '0' });
  });
  afterAll(() => other?.close());

  /** The outcome of one admin call with this cookie on one server: 'success' or the error code. */
  const adminCall = (target: RunningApp, cookie: string) =>
    trpcHttpClient(target.url, jarWith(cookie))
      .client.admin.queues.query()
      .then(
        () => 'success',
        async (error) => (await trpcFailure(Promise.reject(error))).data?.code,
      );
  const dashboard = async (target: RunningApp, cookie: string) => (await fetch(`${target.url}/admin/queues`, { headers: { cookie } })).status;
  const setRole = (userId: number, role: 'user' | 'admin') => app.database.db.update(users).set({ role }).where(eq(users.id, userId));

  it('a demoted administrator loses admin rights within seconds on every server, keeping the session', async () => {
    const admin = await signUp(app, 'demoted-admin');
    await setRole(admin.user.id, 'admin');
    await admin.client.auth.login.mutate({ email: admin.email, password: PASSWORD });
    const cookie = admin.jar.cookie!;
    for (const target of [app, other]) {
      await expect.poll(() => adminCall(target, cookie), { timeout: 30_000, interval: 250 }).toBe('success');
      expect(await dashboard(target, cookie)).toBe(200);
    }

    await setRole(admin.user.id, 'user');
    for (const target of [app, other]) {
      await expect.poll(() => adminCall(target, cookie), { timeout: 30_000, interval: 250 }).toBe('FORBIDDEN');
      expect(await dashboard(target, cookie)).toBe(403);
      expect(await trpcHttpClient(target.url, jarWith(cookie)).client.auth.me.query()).toMatchObject({ id: admin.user.id, role: 'user' });
    }
  });

  it('a promoted user gets admin rights within seconds without logging in again', async () => {
    const user = await signUp(app, 'promoted-user');
    const cookie = user.jar.cookie!;
    expect(await adminCall(app, cookie)).toBe('FORBIDDEN');
    await setRole(user.user.id, 'admin');
    for (const target of [app, other]) await expect.poll(() => adminCall(target, cookie), { timeout: 30_000, interval: 250 }).toBe('success');
  });

  it('the sessions of an account deleted from the database stop working within seconds on every server', async () => {
    const user = await signUp(app, 'vanished');
    const cookie = user.jar.cookie!;
    expect((await trpcHttpClient(other.url, jarWith(cookie)).client.auth.me.query())?.id).toBe(user.user.id);
    await app.database.db.delete(users).where(eq(users.id, user.user.id));
    for (const target of [app, other]) {
      const client = trpcHttpClient(target.url, jarWith(cookie)).client;
      await expect.poll(() => client.auth.me.query(), { timeout: 30_000, interval: 250 }).toBeNull();
      expect((await trpcFailure(client.sources.list.query())).data?.code).toBe('UNAUTHORIZED');
    }
    // The orphaned session is gone from Redis too.
    expect(await app.redis.exists(sessionKey(cookie))).toBe(0);
  });
});

describe('the session cookie', () => {
  const signupResponse = (target: RunningApp, headers: Record<string, string> = {}) =>
    fetch(`${target.url}/trpc/auth.signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: target.url, ...headers },
      body: JSON.stringify({
        json: {
          email: `cookie-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.test`,
          password: PASSWORD,
          name: 'Cookie',
        },
      }),
    });
  const flags = (setCookie: string) =>
    setCookie
      .split(';')
      .slice(1)
      .map((flag) => flag.trim().split('=')[0]!.toLowerCase());

  it('is HttpOnly, SameSite=Lax, Path=/ and lasts 30 days; not Secure over plain HTTP in development', async () => {
    const setCookie = (await signupResponse(app)).headers.get('set-cookie')!;
    expect(setCookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(flags(setCookie)).not.toContain('secure');
    expect(flags(setCookie)).not.toContain('domain');
    const maxAge = Number(/Max-Age=(\d+)/i.exec(setCookie)?.[1] ?? (new Date(/Expires=([^;]+)/.exec(setCookie)![1]!).getTime() - Date.now()) / 1000);
    expect(maxAge).toBeGreaterThan(29 * 24 * 3600);
  });

  describe('in production behind a TLS-terminating proxy', () => {
    let production: RunningApp;
    beforeAll(async () => {
      production = await startTestApp({
        NODE_ENV: 'production',
        CLIENT_MODE: 'off',
        TRUST_PROXY: 'true',
        SESSION_SECRET: 'a-production-session-secret-of-40-chars!!',
      });
    });
    afterAll(() => production?.close());

    it('is Secure when the proxy says the browser used HTTPS', async () => {
      // The browser's page is on https, so that is the origin it sends.
      const response = await signupResponse(production, { 'x-forwarded-proto': 'https', origin: production.url.replace('http:', 'https:') });
      expect(response.status).toBe(200);
      const setCookie = response.headers.get('set-cookie')!;
      expect(flags(setCookie)).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite', 'path']));
    });

    it('is never sent over plain HTTP', async () => {
      const response = await signupResponse(production);
      expect(response.status).toBe(200);
      expect(response.headers.get('set-cookie')).toBeNull();
    });
  });
});
