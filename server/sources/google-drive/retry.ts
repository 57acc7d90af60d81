/**
 * Truncated exponential backoff with full jitter, as Google asks of Drive clients:
 * the wait before retry n is uniform in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))].
 * Full jitter spreads the retries of many workers hit by the same rate limit.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SourceUnavailableError } from '../photo-source.js';

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Cap on one wait. A Retry-After longer than this is not waited for in-process: the job retries later instead. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Thrown inside an attempt to ask for another one (rate limit, 5xx, network). */
export class TransientFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TransientFailure';
  }
}

export interface RetryRuntime {
  sleep?: (ms: number) => Promise<unknown>;
  random?: () => number;
}

export function backoffDelayMs(retryNumber: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Runs `attempt` until it succeeds, throws something other than a
 * TransientFailure, or the policy is exhausted; then a SourceUnavailableError
 * carries the last reason (and Retry-After) to the job's own retry.
 */
export async function withRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy, runtime: RetryRuntime = {}): Promise<T> {
  const wait = runtime.sleep ?? sleep;
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof TransientFailure)) throw error;
      const delayMs = error.retryAfterMs ?? backoffDelayMs(attemptNumber, policy, runtime.random);
      if (attemptNumber >= policy.maxAttempts || delayMs > policy.maxDelayMs) {
        const attempts = attemptNumber === 1 ? '1 attempt' : `${attemptNumber} attempts`;
        throw new SourceUnavailableError(`${error.message} (gave up after ${attempts})`, error.retryAfterMs);
      }
      await wait(delayMs);
    }
  }
}
