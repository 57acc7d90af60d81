import { describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../photo-source.js';
import { TransientFailure, backoffDelayMs, withRetry, type RetryPolicy } from './retry.js';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

function failingTimes(failures: number, failure: () => Error = () => new TransientFailure('HTTP 503')) {
  let calls = 0;
  const attempt = async () => {
    calls += 1;
    if (calls <= failures) throw failure();
    return 'ok';
  };
  return { attempt, calls: () => calls };
}

describe('withRetry', () => {
  it('draws each wait uniformly below a ceiling that doubles up to the cap (full jitter)', () => {
    const almostOne = () => 0.999_999;
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, policy, almostOne))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
  });

  it('retries transient failures and returns the first success', async () => {
    const sleeps: number[] = [];
    const { attempt, calls } = failingTimes(2);
    await expect(withRetry(attempt, policy, { sleep: async (ms) => sleeps.push(ms), random: () => 0.5 })).resolves.toBe('ok');
    expect(calls()).toBe(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it('waits what Retry-After asks instead of its own backoff', async () => {
    const sleeps: number[] = [];
    const { attempt } = failingTimes(1, () => new TransientFailure('HTTP 429', 700));
    await withRetry(attempt, policy, { sleep: async (ms) => sleeps.push(ms) });
    expect(sleeps).toEqual([700]);
  });

  it('gives up after the last attempt with a SourceUnavailableError naming the cause', async () => {
    const { attempt, calls } = failingTimes(10);
    const failure = withRetry(attempt, policy, { sleep: async () => {} });
    await expect(failure).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(failure).rejects.toThrow('HTTP 503 (gave up after 4 attempts)');
    expect(calls()).toBe(4);
  });

  it('hands a Retry-After longer than its cap to the caller instead of blocking', async () => {
    const { attempt, calls } = failingTimes(1, () => new TransientFailure('HTTP 429', 120_000));
    const failure = withRetry(attempt, policy, { sleep: async () => expect.fail('must not sleep') });
    await expect(failure).rejects.toMatchObject({ name: 'SourceUnavailableError', retryAfterMs: 120_000 });
    expect(calls()).toBe(1);
  });

  it('lets any other error through at once', async () => {
    const { attempt, calls } = failingTimes(1, () => new Error('bad request'));
    await expect(withRetry(attempt, policy, { sleep: async () => {} })).rejects.toThrow('bad request');
    expect(calls()).toBe(1);
  });
});
