/**
 * HTTP calls to the services we do not run (setlist.fm, Overpass): one request at
 * a time through a global throttle, a timeout on each, and backoff with jitter on
 * the answers that mean "later" (429, 502–504, network errors). setlist.fm sends
 * 429 without Retry-After, so the wait is ours to choose; when it is sent it wins.
 */
import type { Throttle } from '../rate-limit/global-throttle.js';

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

export function createUpstreamFetch(options: UpstreamFetchOptions) {
  const { service, throttle, attempts = 4, baseDelayMs = 1_000, timeoutMs = 20_000, fetch: send = fetch } = options;

  /** Resolves with the response of the first try that is not a "later" answer; 4xx and 5xx others are the caller's to read. */
  return async function upstreamFetch(url: string, init: RequestInit = {}): Promise<Response> {
    let lastProblem = '';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      await throttle.acquire();
      let response: Response;
      try {
        response = await send(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        lastProblem = `no answer (${(error as Error).message})`;
        if (attempt < attempts) await sleep(backoffMs(attempt, baseDelayMs, null));
        continue;
      }
      if (!RETRY_STATUSES.has(response.status)) return response;
      lastProblem = `HTTP ${response.status}`;
      const retryAfter = response.headers.get('retry-after');
      await response.body?.cancel();
      if (attempt < attempts) await sleep(backoffMs(attempt, baseDelayMs, retryAfter));
    }
    throw new UpstreamError(service, `${lastProblem} after ${attempts} tries`, statusOf(lastProblem), true);
  };
}

export type UpstreamFetch = ReturnType<typeof createUpstreamFetch>;

/** Exponential with full jitter, capped at 30 s; a Retry-After in seconds overrides it. */
function backoffMs(attempt: number, baseDelayMs: number, retryAfter: string | null): number {
  const seconds = retryAfter !== null ? Number(retryAfter) : Number.NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 60_000);
  const ceiling = Math.min(baseDelayMs * 2 ** (attempt - 1), 30_000);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function statusOf(problem: string): number | null {
  const match = /^HTTP (\d{3})/.exec(problem);
  return match ? Number(match[1]) : null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
