import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfterMs, RetriesExhausted, TransientFailure, withHttpRetries, type HttpRetryPolicy } from './http-retry.js';

const policy: HttpRetryPolicy = { attempts: 4, baseDelayMs: 4, maxDelayMs: 20 };

function failingTimes(failures: number, failure: () => Error = () => new TransientFailure('HTTP 503', undefined, 503)) {
  let calls = 0;
  const call = async () => {
    calls += 1;
    if (calls <= failures) throw failure();
    return 'ok';
  };
  return { call, calls: () => calls };
}

describe('the HTTP retry policy', () => {
  it('waits half its ceiling plus a random half, the ceiling doubling up to the cap (equal jitter)', () => {
    const wide = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, wide, () => 0.999_999))).toEqual([99, 199, 399, 799, 999]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, wide, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });

  it('tries transient failures again and resolves with the first success', async () => {
    const waits: number[] = [];
    const { call, calls } = failingTimes(2);
    await expect(withHttpRetries(call, policy, { random: () => 0.5, onWait: (ms) => waits.push(ms) })).resolves.toBe('ok');
    expect(calls()).toBe(3);
    expect(waits).toEqual([3, 6]);
  });

  it('waits what Retry-After asks instead of its own backoff', async () => {
    const waits: number[] = [];
    const { call } = failingTimes(1, () => new TransientFailure('HTTP 429', 15, 429));
    await withHttpRetries(call, policy, { onWait: (ms) => waits.push(ms) });
    expect(waits).toEqual([15]);
  });

  it('gives up after the last attempt, naming the cause and the attempts', async () => {
    const { call, calls } = failingTimes(10);
    const failure = withHttpRetries(call, policy);
    await expect(failure).rejects.toBeInstanceOf(RetriesExhausted);
    await expect(failure).rejects.toThrow('HTTP 503 (gave up after 4 attempts)');
    expect(calls()).toBe(4);
  });

  it('hands a Retry-After longer than a call may wait to the job instead of blocking', async () => {
    const { call, calls } = failingTimes(1, () => new TransientFailure('HTTP 429', 120_000, 429));
    const failure = withHttpRetries(call, policy, { onWait: () => expect.fail('must not wait') });
    await expect(failure).rejects.toMatchObject({ name: 'RetriesExhausted', retryAfterMs: 120_000, attempts: 1 });
    expect(calls()).toBe(1);
  });

  it('lets any other error through at once', async () => {
    const { call, calls } = failingTimes(1, () => new Error('bad request'));
    await expect(withHttpRetries(call, policy)).rejects.toThrow('bad request');
    expect(calls()).toBe(1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfterMs('3')).toBe(3_000);
    expect(parseRetryAfterMs('Thu, 03 Dec 2026 10:00:30 GMT', Date.parse('2026-12-03T10:00:00Z'))).toBe(30_000);
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(parseRetryAfterMs(null)).toBeUndefined();
  });
});
