/**
 * HTTP calls to the services we do not run (setlist.fm, Overpass): each try waits
 * for a global throttle, has a timeout, and the answers that mean "later" (429,
 * 502–504, no answer) are tried again under the one HTTP retry policy
 * (http-retry.ts: exponential backoff with jitter, or Retry-After when sent).
 * setlist.fm sends 429 without Retry-After, so the wait is then ours to choose.
 */
import type { Throttle } from '../rate-limit/global-throttle.js';
import { parseRetryAfterMs, RetriesExhausted, TransientFailure, withHttpRetries } from './http-retry.js';

export class UpstreamError extends Error {
  constructor(
    readonly service: string,
    message: string,
    /** HTTP status, or null when no answer came. */
    readonly status: number | null,
    /** True when trying again later may succeed (the job should retry). */
    readonly transient: boolean,
  ) {
    super(`${service}: ${message}`);
    this.name = 'UpstreamError';
  }
}

export interface UpstreamFetchOptions {
  service: string;
  throttle: Throttle;
  /** Tries per call, the first included. */
  attempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** A backoff wait is at most this long; a Retry-After up to a minute is waited, a longer one gives up to the job. */
const MAX_BACKOFF_MS = 30_000;
const MAX_RETRY_AFTER_MS = 60_000;

export function createUpstreamFetch(options: UpstreamFetchOptions) {
  const { service, throttle, attempts = 4, baseDelayMs = 1_000, timeoutMs = 20_000, fetch: send = fetch } = options;
  const policy = { attempts, baseDelayMs, maxDelayMs: MAX_BACKOFF_MS, maxRetryAfterMs: MAX_RETRY_AFTER_MS };

  /** One try: the throttle's turn, then the request; a "later" answer is a TransientFailure. */
  async function once(url: string, init: RequestInit): Promise<Response> {
    await throttle.acquire();
    let response: Response;
    try {
      response = await send(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new TransientFailure(`no answer (${(error as Error).message})`);
    }
    if (!RETRY_STATUSES.has(response.status)) return response;
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'));
    await response.body?.cancel();
    throw new TransientFailure(`HTTP ${response.status}`, retryAfterMs, response.status);
  }

  /** Resolves with the response of the first try that is not a "later" answer; 4xx and 5xx others are the caller's to read. */
  return async function upstreamFetch(url: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await withHttpRetries(() => once(url, init), policy);
    } catch (error) {
      if (!(error instanceof RetriesExhausted)) throw error;
      const tries =
        error.attempts === attempts
          ? `after ${attempts} tries`
          : `after ${error.attempts} of ${attempts} tries (asked to wait ${error.retryAfterMs} ms)`;
      throw new UpstreamError(service, `${error.last.message} ${tries}`, error.last.status, true);
    }
  };
}

export type UpstreamFetch = ReturnType<typeof createUpstreamFetch>;
