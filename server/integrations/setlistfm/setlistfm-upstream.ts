/**
 * How every process reaches setlist.fm: one daily budget for the API key, shared
 * through Redis (daily-budget.ts: evenly spaced requests, a count per UTC day),
 * and the shared upstream fetch's backoff on 429 and 5xx.
 *
 * setlist.fm sits behind an AWS API gateway, which answers both of its limits
 * with 429 and a one-line JSON body: `{"message":"Too Many Requests"}` for the
 * rate (sometimes without Retry-After: the backoff then chooses its own wait) and
 * `{"message":"Limit Exceeded"}` for the key's quota. The second means the day is
 * spent whatever our own count says (another install may share the key): the
 * budget is marked spent for every process, and the next try, or the client,
 * throws QuotaExhaustedError instead of asking again.
 */
import type { Redis } from 'ioredis';
import { createDailyBudget, type DailyBudget } from '../../rate-limit/daily-budget.js';
import { createUpstreamFetch, type UpstreamFetch } from '../upstream-fetch.js';

export const SETLISTFM_BUDGET_SERVICE = 'setlistfm';
const SERVICE_NAME = 'setlist.fm';

export interface SetlistFmUpstreamOptions {
  keyPrefix: string;
  /** Requests a second, from every process together. */
  ratePerSecond: number;
  /** Requests a UTC day, from every process together. */
  dailyLimit: number;
  /** Tries per call; each one is a request, counted against the day. */
  attempts?: number;
  /** First backoff after a 429 without Retry-After (doubling, with jitter). */
  baseDelayMs?: number;
  /** Longest wait for a request slot before the call gives up for now. */
  maxWaitMs?: number;
  fetch?: typeof fetch;
  /** Tests: milliseconds since the epoch instead of Redis's clock. */
  clock?: () => number;
}

export interface SetlistFmUpstream {
  upstreamFetch: UpstreamFetch;
  budget: DailyBudget;
}

export function createSetlistFmUpstream(redis: Redis, options: SetlistFmUpstreamOptions): SetlistFmUpstream {
  const budget = createDailyBudget(redis, {
    service: SETLISTFM_BUDGET_SERVICE,
    keyPrefix: options.keyPrefix,
    ratePerSecond: options.ratePerSecond,
    dailyLimit: options.dailyLimit,
    ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const send = options.fetch ?? fetch;
  const quotaAware: typeof fetch = async (input, init) => {
    const response = await send(input, init);
    if (response.status === 429 && (await saysQuotaIsSpent(response))) await budget.markSpent();
    return response;
  };
  const upstreamFetch = createUpstreamFetch({
    service: SERVICE_NAME,
    throttle: budget,
    attempts: options.attempts ?? 4,
    // Its 429s often come without Retry-After; about two seconds is what clears them.
    baseDelayMs: options.baseDelayMs ?? 2_000,
    fetch: quotaAware,
  });
  return { upstreamFetch, budget };
}

async function saysQuotaIsSpent(response: Response): Promise<boolean> {
  const text = await response
    .clone()
    .text()
    .catch(() => '');
  try {
    const body: unknown = JSON.parse(text);
    return typeof body === 'object' && body !== null && /limit exceeded/i.test(String((body as { message?: unknown }).message ?? ''));
  } catch {
    return false;
  }
}
