/**
 * The one retry policy for HTTP calls to services we do not run: setlist.fm and
 * Overpass (upstream-fetch.ts), Google Drive and Google's OAuth endpoints
 * (server/sources/google-drive/). Built on cockatiel's retry policy: a call that
 * throws a TransientFailure (429, 5xx, no answer) is tried again after an
 * exponential backoff with equal jitter (half of each wait fixed, half random, the
 * ceiling doubling up to `maxDelayMs`), or after what Retry-After asks. A wait
 * longer than `maxRetryAfterMs` is not waited in process: the call gives up at
 * once, carrying it, and the job's own retry (BullMQ) comes back later. Anything
 * else is thrown at once. Jobs retry on top of this, with their own backoff: this
 * policy only rides out the short bursts one HTTP call meets.
 */
import { DelegateBackoff, handleWhen, retry } from 'cockatiel';

/** Thrown inside a call to ask for another try (rate limit, 5xx, network). */
export class TransientFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    /** HTTP status, or null when no answer came. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'TransientFailure';
  }
}

export interface HttpRetryPolicy {
  /** Tries in all, the first one included. */
  attempts: number;
  baseDelayMs: number;
  /** Cap on one backoff wait. */
  maxDelayMs: number;
  /** Longest Retry-After waited in process (default `maxDelayMs`); a longer one gives up to the job. */
  maxRetryAfterMs?: number;
}

/** Every try failed transiently, or the service asked for a longer wait than a call may take. */
export class RetriesExhausted extends Error {
  constructor(
    readonly last: TransientFailure,
    readonly attempts: number,
  ) {
    super(`${last.message} (gave up after ${attempts === 1 ? '1 attempt' : `${attempts} attempts`})`);
    this.name = 'RetriesExhausted';
  }

  get retryAfterMs(): number | undefined {
    return this.last.retryAfterMs;
  }
}

/** The wait before retry `n` (1-based): uniform in [ceiling/2, ceiling], ceiling = min(maxDelayMs, baseDelayMs·2^(n−1)). */
export function backoffDelayMs(
  retryNumber: number,
  policy: Pick<HttpRetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}

export interface HttpRetryRuntime {
  random?: () => number;
  /** Told each wait before it starts (tests, logs). */
  onWait?: (delayMs: number, failure: TransientFailure) => void;
}

/** Runs `call` under the policy; resolves with its first success. */
export async function withHttpRetries<T>(call: (attempt: number) => Promise<T>, policy: HttpRetryPolicy, runtime: HttpRetryRuntime = {}): Promise<T> {
  const maxRetryAfterMs = policy.maxRetryAfterMs ?? policy.maxDelayMs;
  const waitable = (error: unknown) => error instanceof TransientFailure && (error.retryAfterMs ?? 0) <= maxRetryAfterMs;
  const retrying = retry(handleWhen(waitable), {
    maxAttempts: Math.max(policy.attempts - 1, 0),
    backoff: new DelegateBackoff((context) => {
      const failure = 'error' in context.result ? (context.result.error as TransientFailure) : null;
      const delay = failure?.retryAfterMs ?? backoffDelayMs(context.attempt, policy, runtime.random);
      if (failure) runtime.onWait?.(delay, failure);
      return delay;
    }),
  });
  let attempts = 0;
  try {
    return await retrying.execute(() => {
      attempts += 1;
      return call(attempts);
    });
  } catch (error) {
    if (error instanceof TransientFailure) throw new RetriesExhausted(error, attempts);
    throw error;
  }
}

/** Retry-After as milliseconds: whole seconds, or an HTTP date (past dates are 0). */
export function parseRetryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
