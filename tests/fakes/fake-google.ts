/**
 * A local stand-in for the Google endpoints Concert History talks to, speaking
 * their real HTTP contract: the OAuth 2.0 consent screen (auto-approving), the
 * token endpoint, OpenID userinfo, Drive v3 (files, changes, downloads) and
 * thumbnail links. Responses carry Google's shapes: `kind`, int64 sizes as
 * strings, RFC 3339 times, EXIF-style imageMediaMetadata.time, Google's JSON
 * error format. Tests steer it through `state` (see fake-google-state.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GoogleOAuthClient, type GoogleOAuthClientOptions } from '../../server/sources/google-drive/oauth.js';
import { resizeJpeg, type ImageSize } from './fake-images.js';
import { FakeGoogleState, type FakeAccount, type FakeDriveFile, type Fault, type Grant, type RecordedRequest } from './fake-google-state.js';

export { FakeGoogleState } from './fake-google-state.js';
export type { FakeDriveFile, FaultOptions, FaultStatus, RecordedRequest } from './fake-google-state.js';

export interface FakeGoogleOptions {
  /** Live images seeded into the library (default 12). */
  images?: number;
  imageSize?: ImageSize;
  /** Also seed a folder, a PDF, a Google Doc and a trashed photo, which a scan must skip (default true). */
  otherFiles?: boolean;
  account?: Partial<FakeAccount>;
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of issued access tokens (Google: 3599 s). */
  accessTokenTtlSeconds?: number;
  /** Include an id_token in token responses when `openid` was granted (default true; false makes clients use userinfo). */
  issueIdToken?: boolean;
}

export interface FakeGoogle {
  url: string;
  authUrl: string;
  tokenUrl: string;
  userinfoUrl: string;
  driveApiUrl: string;
  clientId: string;
  clientSecret: string;
  state: FakeGoogleState;
  prerenderThumbnails(sizes: number[]): Promise<void>;
  close(): Promise<void>;
}

const DRIVE_SCOPE = 'https://www.googleapis.com/auth/drive.readonly';

export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const clientId = options.clientId ?? 'fake-client-id.apps.googleusercontent.com';
  const clientSecret = options.clientSecret ?? 'fake-client-secret';
  const account: FakeAccount = { sub: '109876543210987654321', email: 'concert.goer@gmail.com', ...options.account };
  const state = new FakeGoogleState(account, options.accessTokenTtlSeconds ?? 3599, options.imageSize ?? { width: 256, height: 192 });
  await state.addImages(options.images ?? 12);
  if (options.otherFiles ?? true) {
    state.addOtherFile('folder');
    state.addOtherFile('pdf');
    state.addOtherFile('google-doc');
    state.trashFile((await state.addImage({ name: 'blurry.jpg' })).id);
  }

  let baseUrl = '';
  const handler = new FakeGoogleHandler(state, { clientId, clientSecret, issueIdToken: options.issueIdToken ?? true, baseUrl: () => baseUrl });
  const server = createServer((req, res) => {
    handler.handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`fake google crashed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    authUrl: `${baseUrl}/o/oauth2/v2/auth`,
    tokenUrl: `${baseUrl}/token`,
    userinfoUrl: `${baseUrl}/v1/userinfo`,
    driveApiUrl: `${baseUrl}/drive/v3`,
    clientId,
    clientSecret,
    state,
    prerenderThumbnails: (sizes) => handler.prerenderThumbnails(sizes),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface HandlerConfig {
  clientId: string;
  clientSecret: string;
  issueIdToken: boolean;
  baseUrl: () => string;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

class FakeGoogleHandler {
  private readonly records = new WeakMap<ServerResponse, RecordedRequest>();
  private readonly thumbnails = new Map<string, Buffer>();

  constructor(
    private readonly state: FakeGoogleState,
    private readonly config: HandlerConfig,
  ) {}

  /** Renders thumbnails ahead, as Google's servers have them ready: a benchmark then measures only our side. */
  async prerenderThumbnails(sizes: number[]): Promise<void> {
    for (const file of this.state.liveImages()) {
      if (!file.bytes) continue;
      for (const requested of sizes) {
        const size = Math.min(1600, requested);
        const key = `${file.id}:${file.md5}:${size}`;
        if (!this.thumbnails.has(key)) this.thumbnails.set(key, await resizeJpeg(file.bytes, size));
      }
    }
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.config.baseUrl());
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0 };
    this.state.requests.push(record);
    this.records.set(res, record);

    const fault = this.state.takeFault(url.pathname);
    if (fault) return this.sendFault(req, res, fault);

    const path = url.pathname;
    const query = url.searchParams;
    if (req.method === 'GET' && path === '/o/oauth2/v2/auth') return this.authorize(res, query);
    if (req.method === 'POST' && path === '/token') return this.token(res, await readBody(req));
    if (req.method === 'GET' && path === '/v1/userinfo') return this.userinfo(req, res);
    if (req.method === 'GET' && path.startsWith('/thumbnails/')) return this.thumbnail(req, res, path);
    if (req.method === 'GET' && path.startsWith('/drive/v3/')) {
      if (!this.bearer(req, res)) return;
      if (path === '/drive/v3/files') return this.listFiles(res, query);
      if (path === '/drive/v3/changes/startPageToken')
        return this.json(res, 200, { kind: 'drive#startPageToken', startPageToken: this.state.startPageToken() });
      if (path === '/drive/v3/changes') return this.listChanges(res, query);
      const fileMatch = /^\/drive\/v3\/files\/([^/]+)$/.exec(path);
      if (fileMatch) return this.getFile(res, decodeURIComponent(fileMatch[1]!), query);
    }
    this.googleError(res, 404, 'notFound', `Not Found: ${path}`);
  }

  // ---- OAuth 2.0 ---------------------------------------------------------

  private authorize(res: ServerResponse, query: URLSearchParams): void {
    this.state.authorizationRequests.push(Object.fromEntries(query));
    const redirectUri = query.get('redirect_uri');
    if (query.get('client_id') !== this.config.clientId) return this.text(res, 401, 'Error 401: invalid_client. The OAuth client was not found.');
    if (!redirectUri || query.get('response_type') !== 'code' || !query.get('scope')) {
      return this.text(res, 400, 'Error 400: invalid_request. Required parameter is missing: redirect_uri, response_type=code or scope.');
    }
    const consent = this.state.nextConsent;
    this.state.nextConsent = 'approve';
    const back = new URL(redirectUri);
    if (query.get('state')) back.searchParams.set('state', query.get('state')!);
    if (consent === 'deny') {
      back.searchParams.set('error', 'access_denied');
    } else {
      const requested = query.get('scope')!.split(' ');
      const scopes = consent === 'withhold-drive' ? requested.filter((s) => s !== DRIVE_SCOPE) : requested;
      const code = `4/0${randomBytes(30).toString('base64url')}`;
      this.state.codes.set(code, { grant: { refreshToken: '', scopes, revoked: false }, redirectUri, used: false });
      back.searchParams.set('code', code);
      back.searchParams.set('scope', scopes.join(' '));
      back.searchParams.set('authuser', '0');
      back.searchParams.set('prompt', 'consent');
    }
    this.respond(res, 302, { location: back.toString() });
  }

  private token(res: ServerResponse, body: URLSearchParams): void {
    if (body.get('client_id') !== this.config.clientId || body.get('client_secret') !== this.config.clientSecret) {
      return this.json(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
    }
    const grantType = body.get('grant_type');
    if (grantType === 'authorization_code') {
      const pending = this.state.codes.get(body.get('code') ?? '');
      if (!pending || pending.used) return this.json(res, 400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
      if (pending.redirectUri !== body.get('redirect_uri'))
        return this.json(res, 400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
      pending.used = true;
      const grant: Grant = { ...pending.grant, refreshToken: `1//0${randomBytes(48).toString('base64url')}` };
      this.state.grants.set(grant.refreshToken, grant);
      return this.json(res, 200, { ...this.issueAccessToken(grant), refresh_token: grant.refreshToken }, { 'cache-control': 'no-store' });
    }
    if (grantType === 'refresh_token') {
      const grant = this.state.grants.get(body.get('refresh_token') ?? '');
      if (!grant || grant.revoked) return this.json(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      return this.json(res, 200, this.issueAccessToken(grant), { 'cache-control': 'no-store' });
    }
    this.json(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grantType ?? ''}` });
  }

  private issueAccessToken(grant: Grant) {
    const accessToken = `ya29.${randomBytes(60).toString('base64url')}`;
    const ttl = this.state.accessTokenTtlSeconds;
    this.state.accessTokens.set(accessToken, { grant, expiresAt: Date.now() + ttl * 1000 });
    return {
      access_token: accessToken,
      expires_in: ttl,
      scope: grant.scopes.join(' '),
      token_type: 'Bearer',
      ...(this.config.issueIdToken && grant.scopes.includes('openid') ? { id_token: this.idToken() } : {}),
    };
  }

  /** Shaped like Google's (RS256 header, standard claims); the signature is random, as a client must not need it here. */
  private idToken(): string {
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const header = { alg: 'RS256', kid: 'fake-key-1', typ: 'JWT' };
    const claims = {
      iss: 'https://accounts.google.com',
      azp: this.config.clientId,
      aud: this.config.clientId,
      sub: this.state.account.sub,
      email: this.state.account.email,
      email_verified: true,
      iat: now,
      exp: now + 3600,
    };
    return `${encode(header)}.${encode(claims)}.${randomBytes(256).toString('base64url')}`;
  }

  private userinfo(req: IncomingMessage, res: ServerResponse): void {
    if (!this.bearer(req, res)) return;
    const { sub, email } = this.state.account;
    this.json(res, 200, { sub, email, email_verified: true, picture: 'https://lh3.googleusercontent.com/a/default-user=s96-c' });
  }

  /** The grant behind a valid bearer token, or a 401 sent in Google's format. */
  private bearer(req: IncomingMessage, res: ServerResponse): Grant | null {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const issued = token ? this.state.accessTokens.get(token) : undefined;
    if (issued && issued.expiresAt > Date.now() && !issued.grant.revoked) return issued.grant;
    this.googleError(
      res,
      401,
      'authError',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      {
        domain: 'global',
        location: 'Authorization',
        locationType: 'header',
        headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
      },
    );
    return null;
  }

  // ---- Drive v3 ----------------------------------------------------------

  private listFiles(res: ServerResponse, query: URLSearchParams): void {
    const pageSize = this.pageSize(res, query);
    if (pageSize === null) return;
    const filter = parseQuery(query.get('q'));
    if (!filter) return this.invalidParameter(res, 'q');
    const offset = decodeFilesPageToken(query.get('pageToken'));
    if (offset === null) return this.invalidParameter(res, 'pageToken');
    const matching = this.state.allFiles().filter(filter);
    const page = matching.slice(offset, offset + pageSize);
    const next = offset + pageSize < matching.length ? encodeFilesPageToken(offset + pageSize) : undefined;
    this.json(res, 200, {
      kind: 'drive#fileList',
      ...(next ? { nextPageToken: next } : {}),
      incompleteSearch: false,
      files: page.map((f) => this.renderFile(f)),
    });
  }

  private listChanges(res: ServerResponse, query: URLSearchParams): void {
    const token = query.get('pageToken');
    if (!token) return this.googleError(res, 400, 'required', 'Required parameter: pageToken', { location: 'pageToken', locationType: 'parameter' });
    if (!/^\d+$/.test(token) || !this.state.isKnownChangeToken(Number(token))) return this.invalidParameter(res, 'pageToken');
    const pageSize = this.pageSize(res, query);
    if (pageSize === null) return;
    const includeRemoved = query.get('includeRemoved') !== 'false';
    const entries = this.state.changesSince(Number(token)).filter((entry) => includeRemoved || this.state.file(entry.fileId));
    const page = entries.slice(0, pageSize);
    const more = entries.length > pageSize;
    const changes = page.map((entry) => {
      const file = this.state.file(entry.fileId);
      return {
        kind: 'drive#change',
        changeType: 'file',
        time: entry.time,
        removed: !file,
        fileId: entry.fileId,
        ...(file ? { file: this.renderFile(file) } : {}),
      };
    });
    const tokens = more ? { nextPageToken: String(page.at(-1)!.changeId + 1) } : { newStartPageToken: this.state.startPageToken() };
    this.json(res, 200, { kind: 'drive#changeList', ...tokens, changes });
  }

  private getFile(res: ServerResponse, id: string, query: URLSearchParams): void {
    const file = this.state.file(id);
    if (!file) return this.googleError(res, 404, 'notFound', `File not found: ${id}.`, { location: 'fileId', locationType: 'parameter' });
    if (query.get('alt') !== 'media') return this.json(res, 200, this.renderFile(file));
    if (!file.bytes) {
      return this.googleError(
        res,
        403,
        'fileNotDownloadable',
        'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
        { location: 'alt', locationType: 'parameter' },
      );
    }
    this.respond(res, 200, { 'content-type': file.mimeType, 'content-length': String(file.bytes.length) }, file.bytes);
  }

  private async thumbnail(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!this.bearer(req, res)) return;
    const match = /^\/thumbnails\/([^/=]+)=s(\d+)$/.exec(path);
    const file = match ? this.state.file(match[1]!) : undefined;
    if (!match || !file?.bytes || !file.hasThumbnail) return this.text(res, 404, 'Error 404 (Not Found)!!1', 'text/html; charset=UTF-8');
    const size = Math.min(1600, Number(match[2]));
    const key = `${file.id}:${file.md5}:${size}`;
    const jpeg = this.thumbnails.get(key) ?? (await resizeJpeg(file.bytes, size));
    this.thumbnails.set(key, jpeg);
    this.respond(res, 200, { 'content-type': 'image/jpeg', 'cache-control': 'private, max-age=86400' }, jpeg);
  }

  private renderFile(file: FakeDriveFile) {
    return {
      kind: 'drive#file',
      id: file.id,
      name: file.name,
      mimeType: file.mimeType,
      trashed: file.trashed,
      createdTime: file.createdTime,
      modifiedTime: file.modifiedTime,
      ...(file.bytes ? { size: String(file.bytes.length), md5Checksum: file.md5 } : {}),
      ...(file.imageMediaMetadata ? { imageMediaMetadata: file.imageMediaMetadata } : {}),
      ...(file.videoMediaMetadata ? { videoMediaMetadata: file.videoMediaMetadata } : {}),
      ...(file.hasThumbnail ? { thumbnailLink: `${this.config.baseUrl()}/thumbnails/${file.id}=s220`, hasThumbnail: true } : { hasThumbnail: false }),
    };
  }

  private pageSize(res: ServerResponse, query: URLSearchParams): number | null {
    const raw = query.get('pageSize');
    const pageSize = raw === null ? 100 : Number(raw);
    if (Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 1000) return pageSize;
    this.invalidParameter(res, 'pageSize');
    return null;
  }

  // ---- responses ---------------------------------------------------------

  private sendFault(req: IncomingMessage, res: ServerResponse, fault: Fault): void {
    if (fault.status === 'connection-reset') {
      this.records.get(res)!.status = 'connection-reset';
      req.socket.destroy();
      return;
    }
    const { status, options } = fault;
    if (fault.rawBody !== undefined)
      return this.respond(res, status, { 'content-type': 'application/json; charset=UTF-8' }, Buffer.from(fault.rawBody));
    const headers: Record<string, string> = options.retryAfter === undefined ? {} : { 'retry-after': String(options.retryAfter) };
    // Google's front end answers 502 with an HTML page, not JSON.
    if (status === 502) return this.text(res, 502, '<!DOCTYPE html><title>Error 502 (Server Error)!!1</title>', 'text/html; charset=UTF-8');
    const defaults = FAULT_DEFAULTS[status];
    const reason = options.reason ?? defaults.reason;
    const message = options.message ?? (reason === 'rateLimitExceeded' ? 'Rate Limit Exceeded' : defaults.message);
    const domain = reason.toLowerCase().includes('limit') ? 'usageLimits' : 'global';
    this.googleError(res, status, reason, message, {
      domain,
      headers,
      ...(options.location ? { location: options.location, locationType: 'parameter' } : {}),
    });
  }

  private invalidParameter(res: ServerResponse, location: string): void {
    this.googleError(res, 400, 'invalid', `Invalid Value`, { location, locationType: 'parameter' });
  }

  private googleError(
    res: ServerResponse,
    status: number,
    reason: string,
    message: string,
    extra: { domain?: string; location?: string; locationType?: string; headers?: Record<string, string> } = {},
  ): void {
    const { domain = 'global', headers = {}, ...where } = extra;
    const body = { error: { code: status, message, errors: [{ message, domain, reason, ...where }], status: STATUS_NAMES[status] ?? 'UNKNOWN' } };
    this.json(res, status, body, headers);
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.respond(res, status, { 'content-type': 'application/json; charset=UTF-8', ...headers }, Buffer.from(JSON.stringify(body, null, 2)));
  }

  private text(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=UTF-8'): void {
    this.respond(res, status, { 'content-type': contentType }, Buffer.from(body));
  }

  private respond(res: ServerResponse, status: number, headers: Record<string, string>, body?: Buffer): void {
    const record = this.records.get(res);
    if (record) record.status = status;
    res.writeHead(status, headers).end(body);
  }
}

const FAULT_DEFAULTS: Record<Exclude<Fault['status'], 'connection-reset' | 502>, { reason: string; message: string }> = {
  400: { reason: 'badRequest', message: 'Bad Request' },
  401: { reason: 'authError', message: 'Invalid Credentials' },
  403: { reason: 'userRateLimitExceeded', message: 'User Rate Limit Exceeded. Rate of requests for user exceed configured project quota.' },
  404: { reason: 'notFound', message: 'File not found.' },
  429: { reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' },
  500: { reason: 'backendError', message: 'Backend Error' },
  503: { reason: 'backendError', message: 'The service is currently unavailable.' },
  504: { reason: 'backendError', message: 'Deadline exceeded.' },
};

/**
 * The subset of Drive's query language the product uses: clauses joined by `and`,
 * each `mimeType contains '…'`, `mimeType = '…'`, `trashed = true|false`, or such
 * clauses joined by `or` in parentheses. Anything else is a 400, so a client sending
 * a query the fake does not understand finds out instead of getting everything.
 */
function parseQuery(q: string | null): ((file: FakeDriveFile) => boolean) | null {
  if (q === null || q.trim() === '') return () => true;
  const tests: Array<(file: FakeDriveFile) => boolean> = [];
  for (const clause of splitOutsideParentheses(q.trim(), 'and')) {
    const group = /^\((.*)\)$/.exec(clause);
    if (group) {
      const alternatives = splitOutsideParentheses(group[1]!.trim(), 'or').map(parseTerm);
      if (alternatives.some((test) => test === null)) return null;
      tests.push((file) => alternatives.some((test) => test!(file)));
      continue;
    }
    const test = parseTerm(clause);
    if (!test) return null;
    tests.push(test);
  }
  return (file) => tests.every((test) => test(file));
}

function parseTerm(clause: string): ((file: FakeDriveFile) => boolean) | null {
  const contains = /^mimeType\s+contains\s+'([^']*)'$/.exec(clause);
  const equals = /^mimeType\s*=\s*'([^']*)'$/.exec(clause);
  const trashed = /^trashed\s*=\s*(true|false)$/.exec(clause);
  if (contains) return (file) => file.mimeType.includes(contains[1]!);
  if (equals) return (file) => file.mimeType === equals[1];
  if (trashed) return (file) => file.trashed === (trashed[1] === 'true');
  return null;
}

/** `a and (b or c)` split on a keyword that stands outside any parentheses. */
function splitOutsideParentheses(text: string, keyword: 'and' | 'or'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  const separator = new RegExp(`^\\s+${keyword}\\s+`, 'i');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (depth === 0) {
      const match = separator.exec(text.slice(i));
      if (match) {
        parts.push(text.slice(start, i).trim());
        i += match[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

function encodeFilesPageToken(offset: number): string {
  return Buffer.from(`files-offset:${offset}`).toString('base64url');
}

function decodeFilesPageToken(token: string | null): number | null {
  if (token === null) return 0;
  const match = /^files-offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}

async function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    return new URLSearchParams(Object.entries(JSON.parse(text) as Record<string, string>));
  }
  return new URLSearchParams(text);
}

/** A real OAuth client pointed at the fake, as the app builds one from its configuration. */
export function oauthClientFor(fake: FakeGoogle, options: Pick<GoogleOAuthClientOptions, 'retry' | 'now'> = {}): GoogleOAuthClient {
  return new GoogleOAuthClient({
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    authUrl: fake.authUrl,
    tokenUrl: fake.tokenUrl,
    userinfoUrl: fake.userinfoUrl,
    ...options,
  });
}

/** The environment that points a web or worker process at the fake instead of Google. */
export function appEnvFor(fake: FakeGoogle, tokenEncryptionKey: string): Record<string, string> {
  return {
    GOOGLE_CLIENT_ID: fake.clientId,
    GOOGLE_CLIENT_SECRET: fake.clientSecret,
    GOOGLE_DRIVE_API_URL: fake.driveApiUrl,
    GOOGLE_OAUTH_AUTH_URL: fake.authUrl,
    GOOGLE_OAUTH_TOKEN_URL: fake.tokenUrl,
    GOOGLE_USERINFO_URL: fake.userinfoUrl,
    TOKEN_ENCRYPTION_KEY: tokenEncryptionKey,
  };
}
