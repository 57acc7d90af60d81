/**
 * The browser side of connecting Google Drive: /connect sends the logged-in user
 * to Google's consent screen with a one-time `state` kept in their session;
 * /callback checks that state (so nobody can attach their Drive to someone
 * else's account), exchanges the code and stores the sealed refresh token.
 * Every way it ends, success or not, sends the browser back to the page the
 * connection starts from (the photos library) with the outcome in the address
 * (`#/library?google=<outcome>`), which the page says in words: a person never
 * lands on a bare JSON error or a blank page. Needs express-session in front of it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { SourceUnavailableError } from '../photo-source.js';
import { GoogleOAuthError, type GoogleOAuthClient } from './oauth.js';

declare module 'express-session' {
  interface SessionData {
    /** The `state` of the Google connection in progress; used once. */
    googleOAuthState: string;
  }
}

export const GOOGLE_CONNECT_PATH = '/api/sources/google/connect';
export const GOOGLE_CALLBACK_PATH = '/api/sources/google/callback';

/** How a connection ended, as the client's library page names them (client/src/library/google-outcome.ts). */
export type GoogleConnectOutcome =
  | 'connected'
  | 'not_configured'
  | 'logged_out'
  | 'state_mismatch'
  | 'access_denied'
  | 'google_error'
  | 'no_code'
  | 'drive_access_not_granted'
  | 'google_connect_failed'
  | 'google_unavailable';

/** The page the connection starts from, with its outcome. */
export function googleOutcomeUrl(outcome: GoogleConnectOutcome): string {
  return `/#/library?google=${outcome}`;
}

function sendBack(res: Response, outcome: GoogleConnectOutcome): void {
  res.redirect(302, googleOutcomeUrl(outcome));
}

export interface GoogleOAuthRoutesDeps {
  oauth: Pick<GoogleOAuthClient, 'authorizationUrl' | 'exchangeCode'>;
  /** The app's public origin (PUBLIC_URL); the callback URL built from it must be registered with Google exactly. */
  publicUrl: (req: Request) => string;
  encryptToken: (refreshToken: string) => string;
  saveSource: (userId: number, source: { email: string; encryptedRefreshToken: string }) => Promise<{ id: number }>;
}

export function googleOAuthRoutes(deps: GoogleOAuthRoutesDeps): Router {
  const router = Router();
  const callbackUrl = (req: Request) => `${deps.publicUrl(req).replace(/\/+$/, '')}${GOOGLE_CALLBACK_PATH}`;

  router.get(GOOGLE_CONNECT_PATH, async (req, res) => {
    const user = req.session?.user;
    if (!user) return sendBack(res, 'logged_out');
    const state = randomBytes(32).toString('base64url');
    req.session.googleOAuthState = state;
    // Saved before the redirect: Google may send the user back before a lazy save would land.
    await saveSession(req);
    res.redirect(302, deps.oauth.authorizationUrl({ state, redirectUri: callbackUrl(req) }));
  });

  router.get(GOOGLE_CALLBACK_PATH, async (req, res) => {
    const expectedState = req.session?.googleOAuthState;
    if (expectedState !== undefined) delete req.session.googleOAuthState;
    const state = queryString(req, 'state');
    // Nothing is saved: an answer to a connection this session did not start (forged, replayed, or the session lost).
    if (!expectedState || !state || !sameSecret(expectedState, state)) {
      req.log?.warn('google drive callback without a matching state');
      return sendBack(res, 'state_mismatch');
    }
    const user = req.session.user;
    if (!user) return sendBack(res, 'logged_out');

    const googleError = queryString(req, 'error');
    if (googleError) return sendBack(res, googleError === 'access_denied' ? 'access_denied' : 'google_error');
    const code = queryString(req, 'code');
    if (!code) return sendBack(res, 'no_code');

    try {
      const grant = await deps.oauth.exchangeCode(code, callbackUrl(req));
      await deps.saveSource(user.id, { email: grant.email, encryptedRefreshToken: deps.encryptToken(grant.refreshToken) });
    } catch (error) {
      const reason = userFacingReason(error);
      if (!reason) throw error;
      req.log?.warn({ err: error }, 'google drive connection failed');
      return sendBack(res, reason);
    }
    sendBack(res, 'connected');
  });

  return router;
}

/** Failures the user can act on (try again, grant Drive access) go back to the app with their outcome; the rest are 500s. */
function userFacingReason(error: unknown): GoogleConnectOutcome | null {
  if (error instanceof GoogleOAuthError) return error.code === 'drive_access_not_granted' ? 'drive_access_not_granted' : 'google_connect_failed';
  if (error instanceof SourceUnavailableError) return 'google_unavailable';
  return null;
}

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function sameSecret(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}

function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
}
