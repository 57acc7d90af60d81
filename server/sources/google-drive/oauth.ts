/**
 * Google's OAuth 2.0 web-server flow: the consent URL, the code exchange (which
 * yields the long-lived refresh token we store sealed) and access-token refresh.
 * Endpoints are configurable so tests can point them at a local fake.
 */
import { z } from 'zod';
import { SourceAccessError } from '../photo-source.js';
import { AccessTokenCache, type AccessToken, type AccessTokenProvider } from './access-token-cache.js';
import { fetchBuffered, GOOGLE_RETRY_POLICY, parseGoogleJson, parseJson, parseRetryAfterMs, withGoogleRetries } from './google-http.js';
import { type HttpRetryPolicy, TransientFailure } from '../../integrations/http-retry.js';

export const GOOGLE_AUTH_URL = 'https://accounts.google.com/o/oauth2/v2/auth';
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const GOOGLE_USERINFO_URL = 'https://openidconnect.googleapis.com/v1/userinfo';
export const DRIVE_READONLY_SCOPE = 'https://www.googleapis.com/auth/drive.readonly';
export const GOOGLE_SCOPES = [DRIVE_READONLY_SCOPE, 'openid', 'email'] as const;

export interface GoogleOAuthClientOptions {
  clientId: string;
  clientSecret: string;
  authUrl?: string;
  tokenUrl?: string;
  userinfoUrl?: string;
  retry?: Partial<HttpRetryPolicy>;
  requestTimeoutMs?: number;
  /** Refresh access tokens this long before they expire (default 60 s). */
  accessTokenExpiryMarginMs?: number;
  /** How many users' access tokens one process keeps (default 10,000). */
  accessTokenCacheSize?: number;
  now?: () => number;
}

/** What a successful connection yields; the refresh token is the one thing to keep (sealed). */
export interface GoogleGrant extends AccessToken {
  refreshToken: string;
  email: string;
}

/**
 * Google refused a code exchange (e.g. invalid_grant: the code expired or was
 * used twice) or the user withheld Drive access. `code` is Google's error code.
 */
export class GoogleOAuthError extends Error {
  constructor(
    readonly code: string,
    description: string,
  ) {
    super(`Google sign-in failed (${code}): ${description}`);
    this.name = 'GoogleOAuthError';
  }
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().regex(/^bearer$/i, 'must be Bearer'),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  id_token: z.string().optional(),
});

const oauthErrorBody = z.object({ error: z.string(), error_description: z.string().optional() });
const userinfoResponse = z.object({ sub: z.string(), email: z.email() });
const idTokenClaims = z.object({
  aud: z.union([z.string(), z.array(z.string())]),
  email: z.email().optional(),
});

export class GoogleOAuthClient {
  private readonly authUrl: string;
  private readonly tokenUrl: string;
  private readonly userinfoUrl: string;
  private readonly retry: HttpRetryPolicy;
  private readonly requestTimeoutMs: number;
  private readonly now: () => number;
  private readonly accessTokens: AccessTokenCache;

  constructor(private readonly options: GoogleOAuthClientOptions) {
    this.authUrl = options.authUrl ?? GOOGLE_AUTH_URL;
    this.tokenUrl = options.tokenUrl ?? GOOGLE_TOKEN_URL;
    this.userinfoUrl = options.userinfoUrl ?? GOOGLE_USERINFO_URL;
    this.retry = { ...GOOGLE_RETRY_POLICY, attempts: 3, ...options.retry };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.now = options.now ?? Date.now;
    this.accessTokens = new AccessTokenCache({
      refresh: (refreshToken) => this.refreshAccessToken(refreshToken),
      expiryMarginMs: options.accessTokenExpiryMarginMs ?? 60_000,
      maxEntries: options.accessTokenCacheSize ?? 10_000,
      now: this.now,
    });
  }

  /** Where to send the browser. `prompt=consent` makes Google issue a refresh token even on a repeat connection. */
  authorizationUrl({ state, redirectUri }: { state: string; redirectUri: string }): string {
    const url = new URL(this.authUrl);
    url.search = new URLSearchParams({
      client_id: this.options.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: GOOGLE_SCOPES.join(' '),
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      state,
    }).toString();
    return url.toString();
  }

  async exchangeCode(code: string, redirectUri: string): Promise<GoogleGrant> {
    const tokens = await this.requestTokens({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
    if (!tokens.refresh_token) {
      throw new GoogleOAuthError(
        'no_refresh_token',
        'Google did not return a refresh token; remove the app at myaccount.google.com/permissions and connect again',
      );
    }
    // With granular consent the user may untick Drive while still signing in.
    if (tokens.scope !== undefined && !tokens.scope.split(' ').includes(DRIVE_READONLY_SCOPE)) {
      throw new GoogleOAuthError('drive_access_not_granted', 'read access to Google Drive was not granted');
    }
    const accessToken = { accessToken: tokens.access_token, expiresAt: this.expiryOf(tokens.expires_in) };
    this.accessTokens.remember(tokens.refresh_token, accessToken);
    const email = this.emailFromIdToken(tokens.id_token) ?? (await this.fetchEmail(tokens.access_token));
    return { ...accessToken, refreshToken: tokens.refresh_token, email };
  }

  /** A revoked or expired grant (invalid_grant) is a SourceAccessError: the user must connect again. */
  async refreshAccessToken(refreshToken: string): Promise<AccessToken> {
    try {
      const tokens = await this.requestTokens({ grant_type: 'refresh_token', refresh_token: refreshToken });
      return { accessToken: tokens.access_token, expiresAt: this.expiryOf(tokens.expires_in) };
    } catch (error) {
      if (error instanceof GoogleOAuthError && error.code === 'invalid_grant') {
        throw new SourceAccessError(`Google Drive access was revoked or has expired; connect Google Drive again. (${error.message})`);
      }
      throw error;
    }
  }

  /** A cached access token for this grant, refreshed shortly before it expires or when Google rejects it. */
  accessTokenProvider(refreshToken: string): AccessTokenProvider {
    return (request) => this.accessTokens.get(refreshToken, request);
  }

  private async requestTokens(grant: Record<string, string>) {
    const body = new URLSearchParams({ ...grant, client_id: this.options.clientId, client_secret: this.options.clientSecret });
    return withGoogleRetries(async () => {
      const response = await fetchBuffered(
        this.tokenUrl,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body,
        },
        this.requestTimeoutMs,
      );
      if (response.ok) return parseGoogleJson(tokenResponse, response.body, 'the Google token endpoint');
      if (response.status === 429 || response.status >= 500) {
        throw new TransientFailure(`The Google token endpoint answered ${response.status}`, parseRetryAfterMs(response.headers.get('retry-after')));
      }
      const failure = oauthErrorBody.safeParse(parseJson(response.body));
      if (!failure.success) throw new GoogleOAuthError(`http_${response.status}`, 'unexpected error response from the token endpoint');
      throw new GoogleOAuthError(failure.data.error, failure.data.error_description ?? 'no description');
    }, this.retry);
  }

  /**
   * The id_token comes straight from the token endpoint over TLS, so (per OpenID
   * Connect core, 3.1.3.7) its signature need not be checked; the audience still is.
   */
  private emailFromIdToken(idToken: string | undefined): string | null {
    const payload = idToken?.split('.')[1];
    if (!payload) return null;
    const claims = idTokenClaims.safeParse(parseJson(Buffer.from(payload, 'base64url')));
    if (!claims.success) return null;
    const audiences = typeof claims.data.aud === 'string' ? [claims.data.aud] : claims.data.aud;
    if (!audiences.includes(this.options.clientId)) throw new GoogleOAuthError('invalid_id_token', 'the id_token was issued to another client');
    return claims.data.email ?? null;
  }

  private async fetchEmail(accessToken: string): Promise<string> {
    return withGoogleRetries(async () => {
      const response = await fetchBuffered(
        this.userinfoUrl,
        { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } },
        this.requestTimeoutMs,
      );
      if (response.ok) return parseGoogleJson(userinfoResponse, response.body, 'the Google userinfo endpoint').email;
      if (response.status === 429 || response.status >= 500) throw new TransientFailure(`The Google userinfo endpoint answered ${response.status}`);
      throw new GoogleOAuthError(`http_${response.status}`, 'the userinfo endpoint refused the new access token');
    }, this.retry);
  }

  private expiryOf(expiresInSeconds: number): Date {
    return new Date(this.now() + expiresInSeconds * 1000);
  }
}
