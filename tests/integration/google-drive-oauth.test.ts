import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import session from 'express-session';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GOOGLE_CALLBACK_PATH, GOOGLE_CONNECT_PATH, googleOAuthRoutes } from '../../server/sources/google-drive/google-oauth.routes.js';
import { type GoogleOAuthClient, GoogleOAuthError } from '../../server/sources/google-drive/oauth.js';
import { createTokenCipher } from '../../server/sources/google-drive/token-crypto.js';
import { SourceAccessError } from '../../server/sources/photo-source.js';
import { oauthClientFor, startFakeGoogle, type FakeGoogle, type FakeGoogleOptions } from '../fakes/fake-google.js';

const FAST_RETRY = { attempts: 3, baseDelayMs: 1, maxDelayMs: 50 };
const USER = { id: 42, email: 'alice@example.test', name: 'Alice', role: 'user' as const };

function oauthFor(fake: FakeGoogle, now?: () => number): GoogleOAuthClient {
  return oauthClientFor(fake, { retry: FAST_RETRY, ...(now ? { now } : {}) });
}

/** Consents at the fake (its URL is in the client's authUrl) and returns what Google would send to the callback. */
async function consent(oauth: GoogleOAuthClient, redirectUri = 'http://127.0.0.1:9/cb') {
  const response = await fetch(oauth.authorizationUrl({ state: 'some-state', redirectUri }), { redirect: 'manual' });
  return { code: new URL(response.headers.get('location')!).searchParams.get('code')!, redirectUri };
}

describe('Google OAuth client', () => {
  let fake: FakeGoogle;
  const start = async (options: FakeGoogleOptions = {}) => {
    fake = await startFakeGoogle({ images: 0, otherFiles: false, ...options });
    return oauthFor(fake);
  };
  afterEach(() => fake.close());

  it('asks for offline, read-only Drive access with forced consent', async () => {
    const oauth = await start();
    const url = new URL(oauth.authorizationUrl({ state: 'abc', redirectUri: 'https://concerts.example/api/sources/google/callback' }));
    expect(`${url.origin}${url.pathname}`).toBe(fake.authUrl);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: fake.clientId,
      redirect_uri: 'https://concerts.example/api/sources/google/callback',
      response_type: 'code',
      scope: 'https://www.googleapis.com/auth/drive.readonly openid email',
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      state: 'abc',
    });
  });

  it('exchanges a code for a refresh token, an access token and the account email from the id_token', async () => {
    const oauth = await start({ account: { email: 'bob@gmail.com' } });
    const { code, redirectUri } = await consent(oauth);

    const grant = await oauth.exchangeCode(code, redirectUri);

    expect(grant).toMatchObject({ email: 'bob@gmail.com', refreshToken: fake.state.issuedRefreshTokens()[0] });
    expect(grant.accessToken).toMatch(/^ya29\./);
    expect(grant.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect(fake.state.requestsTo('/v1/userinfo')).toHaveLength(0);
  });

  it('asks userinfo for the email when Google sends no id_token', async () => {
    const oauth = await start({ issueIdToken: false, account: { email: 'carol@gmail.com' } });
    const { code, redirectUri } = await consent(oauth);
    await expect(oauth.exchangeCode(code, redirectUri)).resolves.toMatchObject({ email: 'carol@gmail.com' });
    expect(fake.state.requestsTo('/v1/userinfo')).toHaveLength(1);
  });

  it('refuses an authorization code used twice', async () => {
    const oauth = await start();
    const { code, redirectUri } = await consent(oauth);
    await oauth.exchangeCode(code, redirectUri);
    await expect(oauth.exchangeCode(code, redirectUri)).rejects.toMatchObject({ name: 'GoogleOAuthError', code: 'invalid_grant' });
  });

  it('refuses a connection where the user withheld Drive access', async () => {
    const oauth = await start();
    fake.state.nextConsent = 'withhold-drive';
    const { code, redirectUri } = await consent(oauth);
    const failure = oauth.exchangeCode(code, redirectUri);
    await expect(failure).rejects.toBeInstanceOf(GoogleOAuthError);
    await expect(failure).rejects.toMatchObject({ code: 'drive_access_not_granted' });
  });

  it('turns a revoked refresh token into a SourceAccessError', async () => {
    const oauth = await start();
    const { code, redirectUri } = await consent(oauth);
    const { refreshToken } = await oauth.exchangeCode(code, redirectUri);
    await expect(oauth.refreshAccessToken(refreshToken)).resolves.toMatchObject({ accessToken: expect.stringMatching(/^ya29\./) });

    fake.state.revokeRefreshToken(refreshToken);

    await expect(oauth.refreshAccessToken(refreshToken)).rejects.toBeInstanceOf(SourceAccessError);
  });

  it('retries the token endpoint when it is briefly unavailable', async () => {
    const oauth = await start();
    const { code, redirectUri } = await consent(oauth);
    fake.state.failNext('/token', 503);
    await expect(oauth.exchangeCode(code, redirectUri)).resolves.toMatchObject({ email: 'concert.goer@gmail.com' });
    expect(fake.state.requestsTo('/token').map((r) => r.status)).toEqual([503, 200]);
  });

  it('shares one refresh between concurrent requests and caches the result until shortly before expiry', async () => {
    let now = Date.now();
    fake = await startFakeGoogle({ images: 0, otherFiles: false });
    const oauth = oauthFor(fake, () => now);
    const { code, redirectUri } = await consent(oauth);
    const grant = await oauth.exchangeCode(code, redirectUri);
    const accessToken = oauth.accessTokenProvider(grant.refreshToken);

    expect(await accessToken()).toBe(grant.accessToken);
    now += 3599 * 1000 - 59_000;
    const tokens = await Promise.all(Array.from({ length: 5 }, () => accessToken()));

    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(grant.accessToken);
    expect(fake.state.requestsTo('/token')).toHaveLength(2);
    expect(await accessToken({ rejectedToken: 'some-older-token' })).toBe(tokens[0]);
    expect(await accessToken({ rejectedToken: tokens[0] })).not.toBe(tokens[0]);
  });
});

describe('Google Drive connection routes', () => {
  let fake: FakeGoogle;
  let server: Server;
  let appUrl: string;
  let saved: Array<{ userId: number; email: string; encryptedRefreshToken: string }>;
  const cipher = createTokenCipher(randomBytes(32));

  beforeEach(async () => {
    fake = await startFakeGoogle({ images: 0, otherFiles: false });
    saved = [];
    const app = express();
    // A memory store is fine for one test process; the app itself uses Redis.
    app.use(session({ secret: 'test-secret-test-secret-test-secret', resave: false, saveUninitialized: false, store: new session.MemoryStore() }));
    app.post('/test/login', (req, res) => {
      req.session.user = USER;
      res.json({ ok: true });
    });
    app.use(
      googleOAuthRoutes({
        oauth: oauthFor(fake),
        publicUrl: (req) => `${req.protocol}://${req.get('host')}`,
        encryptToken: cipher.encrypt,
        saveSource: async (userId, source) => {
          saved.push({ userId, ...source });
          return { id: saved.length };
        },
      }),
    );
    app.use(((error, _req, res, _next) => res.status(500).json({ error: String(error) })) satisfies ErrorRequestHandler);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await fake.close();
  });

  /** A browser with a cookie jar that does not follow redirects, so each hop can be checked. */
  function browser() {
    let cookie = '';
    return async (url: string, init: RequestInit = {}) => {
      const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(cookie ? { cookie } : {}) } });
      const setCookie = response.headers.getSetCookie()[0];
      if (setCookie) cookie = setCookie.split(';')[0]!;
      return response;
    };
  }

  async function loggedInBrowser() {
    const visit = browser();
    await visit(`${appUrl}/test/login`, { method: 'POST' });
    return visit;
  }

  it('connects Google Drive: connect, consent, callback, and a sealed refresh token saved for the user', async () => {
    const visit = await loggedInBrowser();

    const connect = await visit(`${appUrl}${GOOGLE_CONNECT_PATH}`);
    expect(connect.status).toBe(302);
    const consentUrl = new URL(connect.headers.get('location')!);
    expect(`${consentUrl.origin}${consentUrl.pathname}`).toBe(fake.authUrl);
    expect(consentUrl.searchParams.get('redirect_uri')).toBe(`${appUrl}${GOOGLE_CALLBACK_PATH}`);
    expect(consentUrl.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const google = await visit(consentUrl.toString());
    const callbackUrl = google.headers.get('location')!;
    expect(callbackUrl.startsWith(`${appUrl}${GOOGLE_CALLBACK_PATH}?`)).toBe(true);

    const callback = await visit(callbackUrl);
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/#/library?google=connected');

    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ userId: USER.id, email: 'concert.goer@gmail.com' });
    const [refreshToken] = fake.state.issuedRefreshTokens();
    expect(saved[0]!.encryptedRefreshToken).toMatch(/^v1\./);
    expect(saved[0]!.encryptedRefreshToken).not.toContain(refreshToken);
    expect(cipher.decrypt(saved[0]!.encryptedRefreshToken)).toBe(refreshToken);
  });

  it('refuses a callback with a wrong state, and forgets the state it expected', async () => {
    const visit = await loggedInBrowser();
    const connect = await visit(`${appUrl}${GOOGLE_CONNECT_PATH}`);
    const callbackUrl = new URL((await visit(connect.headers.get('location')!)).headers.get('location')!);
    const rightState = callbackUrl.searchParams.get('state')!;

    callbackUrl.searchParams.set('state', 'forged-state');
    const forged = await visit(callbackUrl.toString());
    // Back to the library page, which says it in words; nothing saved.
    expect(forged.status).toBe(302);
    expect(forged.headers.get('location')).toBe('/#/library?google=state_mismatch');

    callbackUrl.searchParams.set('state', rightState);
    expect((await visit(callbackUrl.toString())).headers.get('location')).toBe('/#/library?google=state_mismatch');
    expect(saved).toEqual([]);
  });

  it('refuses a callback when no connection was started in this session', async () => {
    const visit = await loggedInBrowser();
    const response = await visit(`${appUrl}${GOOGLE_CALLBACK_PATH}?code=4/0abc&state=anything`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/#/library?google=state_mismatch');
    expect(saved).toEqual([]);
  });

  it('asks a visitor who is not logged in to log in first', async () => {
    const response = await browser()(`${appUrl}${GOOGLE_CONNECT_PATH}`);
    // The app's log-in page, then the library page saying to connect again.
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/#/library?google=logged_out');
  });

  it('sends the user back to the library page with access_denied when they decline', async () => {
    const visit = await loggedInBrowser();
    fake.state.nextConsent = 'deny';
    const connect = await visit(`${appUrl}${GOOGLE_CONNECT_PATH}`);
    const callback = await visit((await visit(connect.headers.get('location')!)).headers.get('location')!);
    expect(callback.headers.get('location')).toBe('/#/library?google=access_denied');
    expect(saved).toEqual([]);
  });

  it('sends the user back to the library page with drive_access_not_granted when they untick Drive', async () => {
    const visit = await loggedInBrowser();
    fake.state.nextConsent = 'withhold-drive';
    const connect = await visit(`${appUrl}${GOOGLE_CONNECT_PATH}`);
    const callback = await visit((await visit(connect.headers.get('location')!)).headers.get('location')!);
    expect(callback.headers.get('location')).toBe('/#/library?google=drive_access_not_granted');
    expect(saved).toEqual([]);
  });
});
