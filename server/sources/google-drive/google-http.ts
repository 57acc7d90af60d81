/**
 * The HTTP boundary with Google, shared by the OAuth and Drive clients: one
 * exchange at a time with network failures marked retryable, every JSON body
 * validated with zod before the rest of the code sees it, and Google's JSON
 * error format turned into one readable message.
 */
import { open } from 'node:fs/promises';
import { z } from 'zod';
import { FileTooLargeError } from '../photo-source.js';
import { type HttpRetryPolicy, RetriesExhausted, TransientFailure, withHttpRetries } from '../../integrations/http-retry.js';
import { SourceUnavailableError } from '../photo-source.js';

export interface BufferedResponse {
  ok: boolean;
  status: number;
  headers: Headers;
  body: Buffer;
}

/** One HTTP exchange with the body read in full; a network failure or timeout becomes a TransientFailure. */
export async function fetchBuffered(url: string | URL, init: RequestInit, timeoutMs: number): Promise<BufferedResponse> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    // Reading the body is inside the try: a connection reset mid-body is a network error too.
    const body = Buffer.from(await response.arrayBuffer());
    return { ok: response.ok, status: response.status, headers: response.headers, body };
  } catch (error) {
    throw new TransientFailure(`Cannot reach ${new URL(url).host}: ${describeNetworkError(error)}`);
  }
}

/** An answer whose body is still to be read: saved to a file (a download) or read whole (an error answer, small). */
export interface StreamedResponse {
  ok: boolean;
  status: number;
  headers: Headers;
  buffered(): Promise<BufferedResponse>;
  /** Streams the body into `path` (created with mode 0600 or truncated) and returns its size; never writes more than `maxBytes`. */
  saveTo(path: string, maxBytes: number): Promise<number>;
  discard(): void;
}

/**
 * One HTTP exchange whose body is not read yet. `timeoutMs` bounds the wait for the
 * headers and then every pause between two pieces of the body, so a large download
 * on a slow but live connection is not cut off. Network failures are TransientFailures.
 */
export async function fetchStreamed(url: string | URL, init: RequestInit, timeoutMs: number): Promise<StreamedResponse> {
  const host = new URL(url).host;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const stopTimer = () => clearTimeout(timer);
  const restartTimer = () => {
    stopTimer();
    timer = setTimeout(() => controller.abort(Object.assign(new Error('timed out'), { name: 'TimeoutError' })), timeoutMs);
  };
  const networkFailure = (error: unknown) => new TransientFailure(`Cannot reach ${host}: ${describeNetworkError(error)}`);
  restartTimer();
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: controller.signal });
  } catch (error) {
    stopTimer();
    throw networkFailure(error);
  }
  restartTimer();
  const discard = () => {
    stopTimer();
    controller.abort();
  };
  return {
    ok: response.ok,
    status: response.status,
    headers: response.headers,
    discard,
    async buffered() {
      try {
        return { ok: response.ok, status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
      } catch (error) {
        throw networkFailure(error);
      } finally {
        stopTimer();
      }
    },
    async saveTo(path, maxBytes) {
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      if (declared > maxBytes) {
        discard();
        throw new FileTooLargeError(maxBytes);
      }
      const file = await open(path, 'w', 0o600);
      let bytes = 0;
      try {
        for await (const chunk of (response.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.length;
          // A missing or false Content-Length is caught here, before the excess is written.
          if (bytes > maxBytes) throw new FileTooLargeError(maxBytes);
          await file.write(chunk);
          restartTimer();
        }
        return bytes;
      } catch (error) {
        discard();
        if (error instanceof FileTooLargeError) throw error;
        throw networkFailure(error);
      } finally {
        stopTimer();
        await file.close();
      }
    },
  };
}

/** fetch hides the useful part (ECONNRESET, ECONNREFUSED) in `cause`. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
  return code ? `${error.message} (${code})` : error.message;
}

/** Google answered 2xx with a body we do not understand: a contract change or a proxy in the way; never retried. */
export class GoogleResponseFormatError extends Error {
  constructor(what: string, detail: string) {
    super(`Unexpected response from ${what}: ${detail}`);
    this.name = 'GoogleResponseFormatError';
  }
}

export function parseGoogleJson<T>(schema: z.ZodType<T>, body: Buffer, what: string): T {
  const json = parseJson(body);
  if (json === undefined) throw new GoogleResponseFormatError(what, `not JSON (${preview(body)})`);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
    throw new GoogleResponseFormatError(what, issues.join('; '));
  }
  return parsed.data;
}

/** Google's API error format: {"error": {"code", "message", "status", "errors": [{"domain", "reason", "message", "location"}]}}. */
const apiErrorBody = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    errors: z
      .array(
        z.object({
          domain: z.string().optional(),
          reason: z.string().optional(),
          message: z.string().optional(),
          location: z.string().optional(),
          locationType: z.string().optional(),
        }),
      )
      .optional(),
  }),
});

export interface GoogleApiError {
  message: string;
  /** Machine-readable reasons, e.g. userRateLimitExceeded, notFound, authError. */
  reasons: string[];
  /** The parameter or header the error is about, e.g. pageToken. */
  locations: string[];
}

/** Reads an error body in Google's format; anything else (an HTML page from a proxy) still gives a message. */
export function readGoogleApiError(status: number, body: Buffer): GoogleApiError {
  const parsed = apiErrorBody.safeParse(parseJson(body));
  if (!parsed.success) return { message: `HTTP ${status}${body.length ? ` (${preview(body)})` : ''}`, reasons: [], locations: [] };
  const { message, errors = [] } = parsed.data.error;
  return {
    message: message ?? errors[0]?.message ?? `HTTP ${status}`,
    reasons: errors.flatMap((e) => (e.reason ? [e.reason] : [])),
    locations: errors.flatMap((e) => (e.location ? [e.location] : [])),
  };
}

export { parseRetryAfterMs } from '../../integrations/http-retry.js';

/** Google asks clients to back off exponentially, with jitter, on 429 and 5xx (server/integrations/http-retry.ts). */
export const GOOGLE_RETRY_POLICY: HttpRetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** A call to Google under the one HTTP retry policy; giving up becomes the source's "unavailable: the job retries later". */
export async function withGoogleRetries<T>(call: () => Promise<T>, policy: HttpRetryPolicy): Promise<T> {
  try {
    return await withHttpRetries(call, policy);
  } catch (error) {
    if (error instanceof RetriesExhausted) throw new SourceUnavailableError(error.message, error.retryAfterMs);
    throw error;
  }
}

/** undefined when the body is not JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function preview(body: Buffer): string {
  const text = body.toString('utf8', 0, Math.min(body.length, 200)).replace(/\s+/g, ' ').trim();
  return body.length > 200 ? `${text}…` : text;
}
