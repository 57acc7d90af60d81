/**
 * A small Drive v3 REST client: the five calls a scan and an ingest need, each
 * retried on rate limits, 5xx and network errors, and each failure turned into
 * the error a job knows how to handle (see photo-source.ts).
 */
import { SourceAccessError, SourceFileGoneError, SourceUnavailableError } from '../photo-source.js';
import type { AccessTokenProvider } from './access-token-cache.js';
import {
  DRIVE_FILE_FIELDS,
  IMAGE_FILES_QUERY,
  driveChangeList,
  driveFileList,
  startPageToken,
  thumbnailLinkOnly,
  type DriveChangeList,
  type DriveFileList,
} from './drive-schemas.js';
import {
  fetchBuffered,
  fetchStreamed,
  parseGoogleJson,
  GOOGLE_RETRY_POLICY,
  parseRetryAfterMs,
  readGoogleApiError,
  withGoogleRetries,
  type BufferedResponse,
  type GoogleApiError,
} from './google-http.js';
import { type HttpRetryPolicy, TransientFailure } from '../../integrations/http-retry.js';

export const GOOGLE_DRIVE_API_URL = 'https://www.googleapis.com/drive/v3';

export interface DriveClientOptions {
  accessToken: AccessTokenProvider;
  /** GOOGLE_DRIVE_API_URL; default https://www.googleapis.com/drive/v3. */
  baseUrl?: string;
  retry?: Partial<HttpRetryPolicy>;
  requestTimeoutMs?: number;
  /** files.list and changes.list page size; Drive allows at most 1000. */
  pageSize?: number;
  /** Long side, in pixels, asked of Drive's thumbnail service (default 400, the thumbnail we keep). */
  thumbnailSize?: number;
}

/** Drive refused a request for a reason retrying cannot fix (bad parameter, file not downloadable...). */
export class DriveRequestError extends Error {
  constructor(
    readonly status: number,
    readonly googleError: GoogleApiError,
    message: string,
  ) {
    super(message);
    this.name = 'DriveRequestError';
  }

  /** Drive rejects a page token it no longer knows with 400 on the pageToken parameter. */
  get isInvalidPageToken(): boolean {
    return this.status === 400 && this.googleError.locations.includes('pageToken');
  }
}

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
/** 403 is also how Drive says "slow down"; other 403 reasons are real refusals. */
const RATE_LIMIT_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded']);
/** Thumbnail links point at Google's content servers; the bearer token is sent nowhere else (but the API's own origin). */
const GOOGLE_CONTENT_HOST = /(^|\.)(googleusercontent\.com|google\.com|googleapis\.com)$/;

interface Operation {
  name: string;
  /** Set when the call is about one file: a 404 then means the file is gone. */
  fileId?: string;
}

export class DriveClient {
  private readonly baseUrl: URL;
  private readonly retry: HttpRetryPolicy;
  private readonly requestTimeoutMs: number;
  private readonly pageSize: number;
  private readonly thumbnailSize: number;

  constructor(private readonly options: DriveClientOptions) {
    this.baseUrl = new URL(`${(options.baseUrl ?? GOOGLE_DRIVE_API_URL).replace(/\/+$/, '')}/`);
    this.retry = { ...GOOGLE_RETRY_POLICY, ...options.retry };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 1000));
    // The size of the thumbnail we keep: a larger one only costs decoding time.
    this.thumbnailSize = options.thumbnailSize ?? 400;
  }

  /**
   * One page of the user's images, trashed ones excluded. Shared-drive items are
   * included here and in listChanges alike, so a full and an incremental scan
   * see the same library.
   */
  async listImages({ pageToken }: { pageToken?: string | null } = {}): Promise<DriveFileList> {
    const url = this.url('files', {
      q: IMAGE_FILES_QUERY,
      pageSize: String(this.pageSize),
      fields: `nextPageToken, files(${DRIVE_FILE_FIELDS})`,
      spaces: 'drive',
      includeItemsFromAllDrives: 'true',
      supportsAllDrives: 'true',
      ...(pageToken ? { pageToken } : {}),
    });
    const response = await this.get(url, { name: 'files.list' });
    return parseGoogleJson(driveFileList, response.body, 'Google Drive files.list');
  }

  /** The cursor for "changes from now on"; taken before a full listing so nothing made during it is missed. */
  async getStartPageToken(): Promise<string> {
    const url = this.url('changes/startPageToken', { supportsAllDrives: 'true' });
    const response = await this.get(url, { name: 'changes.getStartPageToken' });
    return parseGoogleJson(startPageToken, response.body, 'Google Drive changes.getStartPageToken').startPageToken;
  }

  async listChanges({ pageToken }: { pageToken: string }): Promise<DriveChangeList> {
    const url = this.url('changes', {
      pageToken,
      pageSize: String(this.pageSize),
      fields: `nextPageToken, newStartPageToken, changes(fileId, removed, file(${DRIVE_FILE_FIELDS}, trashed))`,
      spaces: 'drive',
      includeRemoved: 'true',
      includeItemsFromAllDrives: 'true',
      supportsAllDrives: 'true',
    });
    const response = await this.get(url, { name: 'changes.list' });
    return parseGoogleJson(driveChangeList, response.body, 'Google Drive changes.list');
  }

  /**
   * The file's bytes streamed into `path`, never more than `maxBytes` (FileTooLargeError,
   * from Content-Length or while reading); returns its size. Throws SourceFileGoneError
   * when Drive no longer has it (or no longer shows it to us). A retry starts over.
   */
  async downloadTo(fileId: string, path: string, maxBytes: number): Promise<number> {
    const url = this.url(`files/${encodeURIComponent(fileId)}`, { alt: 'media', supportsAllDrives: 'true' });
    const operation = { name: 'files.get (download)', fileId };
    return withGoogleRetries(async () => {
      const send = (token: string) => fetchStreamed(url, { headers: { authorization: `Bearer ${token}` } }, this.requestTimeoutMs);
      const token = await this.options.accessToken();
      let response = await send(token);
      if (response.status === 401) {
        response.discard();
        response = await send(await this.options.accessToken({ rejectedToken: token }));
      }
      if (!response.ok) throw failureOf(await response.buffered(), operation);
      return response.saveTo(path, maxBytes);
    }, this.retry);
  }

  /** A fresh thumbnail link (they expire within hours, so one from a listing cannot be kept for later). */
  async thumbnailLink(fileId: string): Promise<string | null> {
    const url = this.url(`files/${encodeURIComponent(fileId)}`, { fields: 'thumbnailLink', supportsAllDrives: 'true' });
    const response = await this.get(url, { name: 'files.get (thumbnailLink)', fileId });
    return parseGoogleJson(thumbnailLinkOnly, response.body, 'Google Drive files.get').thumbnailLink ?? null;
  }

  /**
   * The thumbnail, asked at `thumbnailSize` px instead of the link's default 220.
   * Null when Drive answers 404 or 403 for it (no thumbnail generated, link
   * expired): the caller then reads the whole file, whose errors are precise.
   */
  async downloadThumbnail(thumbnailLink: string): Promise<Buffer | null> {
    const url = new URL(thumbnailLink.replace(/=s\d+$/, `=s${this.thumbnailSize}`));
    const isGoogleContent = url.protocol === 'https:' && GOOGLE_CONTENT_HOST.test(url.hostname);
    if (!isGoogleContent && url.origin !== this.baseUrl.origin) {
      throw new Error(`Refusing to send Drive credentials to an unexpected thumbnail host (${url.origin})`);
    }
    const response = await this.get(url, { name: 'thumbnail' }, [403, 404]);
    return response.ok ? response.body : null;
  }

  private url(path: string, query: Record<string, string>): URL {
    const url = new URL(path, this.baseUrl);
    url.search = new URLSearchParams(query).toString();
    return url;
  }

  /** An authorized GET with retries; resolves with 2xx (or one of `tolerated`), throws the mapped error otherwise. */
  private get(url: URL, operation: Operation, tolerated: number[] = []): Promise<BufferedResponse> {
    return withGoogleRetries(async () => {
      const response = await this.sendAuthorized(url);
      if (response.ok || tolerated.includes(response.status)) return response;
      throw failureOf(response, operation);
    }, this.retry);
  }

  /** One request; when Google rejects the access token, one more with a freshly refreshed token. */
  private async sendAuthorized(url: URL): Promise<BufferedResponse> {
    const token = await this.options.accessToken();
    const response = await this.send(url, token);
    if (response.status !== 401) return response;
    return this.send(url, await this.options.accessToken({ rejectedToken: token }));
  }

  private send(url: URL, accessToken: string): Promise<BufferedResponse> {
    return fetchBuffered(url, { headers: { authorization: `Bearer ${accessToken}` } }, this.requestTimeoutMs);
  }
}

function failureOf(response: BufferedResponse, operation: Operation): Error {
  const error = readGoogleApiError(response.status, response.body);
  const summary = `Google Drive ${operation.name} answered ${response.status}: ${error.message}`;
  const rateLimited = response.status === 403 && error.reasons.some((reason) => RATE_LIMIT_REASONS.has(reason));
  if (RETRYABLE_STATUSES.has(response.status) || rateLimited) {
    return new TransientFailure(summary, parseRetryAfterMs(response.headers.get('retry-after')));
  }
  // The project's daily quota: pointless to retry within this job, worth retrying later.
  if (error.reasons.includes('dailyLimitExceeded')) return new SourceUnavailableError(summary, 60 * 60 * 1000);
  if (response.status === 401) return new SourceAccessError(`Google Drive refused our credentials: ${error.message}`);
  if (response.status === 404 && operation.fileId) return new SourceFileGoneError(operation.fileId);
  // A 403 on the library itself (scope withdrawn, Drive disabled by a Workspace admin) ends the scan.
  if (response.status === 403 && !operation.fileId) return new SourceAccessError(`Google Drive refused access to the library: ${error.message}`);
  return new DriveRequestError(response.status, error, summary);
}
