/**
 * The browser side of connecting Google Drive: /connect sends the logged-in user
 * to Google's consent screen with a one-time `state` kept in their session;
 * /callback checks that state (so nobody can attach their Drive to someone
 * else's account), exchanges the code and stores the sealed refresh token.
 * Needs express-session in front of it.
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
    if (!user) return sendError(res, 401, 'UNAUTHORIZED', 'Please log in first');
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
    if (!expectedState || !state || !sameSecret(expectedState, state)) {
      return sendError(res, 400, 'BAD_REQUEST', 'This Google sign-in response does not match a connection you started (missing or wrong state). Please connect Google Drive again.');
    }
    const user = req.session.user;
    if (!user) return sendError(res, 401, 'UNAUTHORIZED', 'Please log in first');

    const googleError = queryString(req, 'error');
    if (googleError) return res.redirect(302, `/?error=${googleError === 'access_denied' ? 'access_denied' : 'google_error'}`);
    const code = queryString(req, 'code');
    if (!code) return sendError(res, 400, 'BAD_REQUEST', 'Google sent no authorization code');

    try {
      const grant = await deps.oauth.exchangeCode(code, callbackUrl(req));
      await deps.saveSource(user.id, { email: grant.email, encryptedRefreshToken: deps.encryptToken(grant.refreshToken) });
    } catch (error) {
      const reason = userFacingReason(error);
      if (!reason) throw error;
      req.log?.warn({ err: error }, 'google drive connection failed');
      return res.redirect(302, `/?error=${reason}`);
    }
    res.redirect(302, '/?connected=google');
  });

  return router;
}

/** Failures the user can act on (try again, grant Drive access) go back to the app as ?error=; the rest are 500s. */
function userFacingReason(error: unknown): string | null {
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

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
}
