/**
 * A limit shared by every process for an outside API that allows a steady rate
 * and a number of requests a day (setlist.fm: about 2 a second and 1,440 a day
 * per key). One Lua script, on one Redis hash, does both atomically:
 * - the rate: each request takes the next free slot, `1000 / ratePerSecond` ms
 *   after the one before, and waits for it: requests from all processes leave
 *   evenly spaced, never in a burst;
 * - the day: each slot taken counts against the day's budget (retries and
 *   answers that failed included: the API counts what it receives); once it is
 *   spent, or once the API itself said so (`markSpent`), acquire() throws
 *   QuotaExhaustedError with the time the next day starts.
 * Days are calendar days in UTC: the budget starts again at 00:00 UTC.
 * Time is Redis's own (TIME), so servers with skewed clocks share one schedule;
 * tests may give a clock instead.
 */
import type { Redis } from 'ioredis';
import { type Throttle, ThrottleTimeoutError } from './global-throttle.js';
import { redisScript } from './redis-script.js';

const DAY_MS = 86_400_000;

/** The day's budget is spent: nothing is sent until `resumeAt` (the next 00:00 UTC). A retry before then is wasted. */
export class QuotaExhaustedError extends Error {
  constructor(
    readonly service: string,
    readonly resumeAt: Date,
    /** Requests counted today, and the day's budget. */
    readonly used: number,
    readonly limit: number,
    /** 'budget': our own count reached the limit; 'upstream': the API answered that the key's quota is spent. */
    readonly learnedFrom: 'budget' | 'upstream',
  ) {
    super(`${service}: the daily budget of ${limit} requests is spent; it starts again at ${resumeAt.toISOString()}`);
    this.name = 'QuotaExhaustedError';
  }
}

export function isQuotaExhausted(error: unknown): error is QuotaExhaustedError {
  return error instanceof QuotaExhaustedError;
}

export interface DailyBudgetOptions {
  /** Names the budget in Redis keys and errors, e.g. "setlist.fm". */
  service: string;
  keyPrefix: string;
  /** Steady rate, requests a second; may be below 1 (0.5: one every two seconds). */
  ratePerSecond: number;
  /** Requests a UTC day, from every process together. */
  dailyLimit: number;
  /** A slot further ahead than this is not taken: ThrottleTimeoutError, so the job retries later. */
  maxWaitMs?: number;
  /** Milliseconds since the epoch; Redis's clock when absent. */
  clock?: () => number;
}

export interface BudgetUsage {
  /** yyyy-mm-dd, UTC. */
  day: string;
  used: number;
  limit: number;
  spent: boolean;
}

export interface DailyBudget extends Throttle {
  /** Waits for this process's slot. Throws QuotaExhaustedError when the day's budget is spent, ThrottleTimeoutError when the wait is too long. */
  acquire(): Promise<void>;
  /** The API said the key's quota is spent: nothing more is sent today, by any process. Returns the error to throw. */
  markSpent(): Promise<QuotaExhaustedError>;
  /** The error acquire() would throw now, or null while requests may still be sent. */
  exhaustion(): Promise<QuotaExhaustedError | null>;
  usage(): Promise<BudgetUsage>;
}

/**
 * Hash fields: day (days since the epoch, UTC), used, spent (0/1), next (the first free slot, ms).
 * Answers {1, wait, used, day} for a slot, {0, used, day} when the budget is spent, {2, wait} when the slot is too far.
 */
const acquireScript = redisScript(`
local now = tonumber(ARGV[1])
if not now then
  local clock = redis.call('TIME')
  now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
end
local interval = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local maxWait = tonumber(ARGV[4])
local today = math.floor(now / 86400000)
local day = tonumber(redis.call('HGET', KEYS[1], 'day') or '-1')
if day ~= today then
  redis.call('HSET', KEYS[1], 'day', today, 'used', 0, 'spent', 0)
end
local used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
if redis.call('HGET', KEYS[1], 'spent') == '1' or used >= limit then
  return {0, used, today}
end
local slot = math.max(now, tonumber(redis.call('HGET', KEYS[1], 'next') or '0'))
if slot - now > maxWait then
  return {2, slot - now, today}
end
redis.call('HSET', KEYS[1], 'next', slot + interval, 'used', used + 1)
redis.call('PEXPIRE', KEYS[1], 2 * 86400000)
return {1, slot - now, used + 1, today}
`);

/** ARGV: now (or '' for Redis's clock), mark ('1': the API says the quota is spent). Answers {used, day, spent}. */
const stateScript = redisScript(`
local now = tonumber(ARGV[1])
if not now then
  local clock = redis.call('TIME')
  now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
end
local today = math.floor(now / 86400000)
local day = tonumber(redis.call('HGET', KEYS[1], 'day') or '-1')
if day ~= today then
  redis.call('HSET', KEYS[1], 'day', today, 'used', 0, 'spent', 0)
  redis.call('PEXPIRE', KEYS[1], 2 * 86400000)
end
if ARGV[2] == '1' then
  redis.call('HSET', KEYS[1], 'spent', 1)
end
return {tonumber(redis.call('HGET', KEYS[1], 'used') or '0'), today, tonumber(redis.call('HGET', KEYS[1], 'spent') or '0')}
`);

export function createDailyBudget(redis: Redis, options: DailyBudgetOptions): DailyBudget {
  const { service, dailyLimit } = options;
  if (!(options.ratePerSecond > 0)) throw new Error(`${service}: the rate must be above 0 requests a second`);
  if (!(Number.isInteger(dailyLimit) && dailyLimit >= 1))
    throw new Error(`${service}: the daily budget must be a whole number of requests, at least 1`);
  const key = `${options.keyPrefix}:budget:${service}`;
  const intervalMs = Math.ceil(1000 / options.ratePerSecond);
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const now = () => (options.clock ? String(options.clock()) : '');
  const exhausted = (used: number, day: number, learnedFrom: QuotaExhaustedError['learnedFrom']) =>
    new QuotaExhaustedError(service, new Date((day + 1) * DAY_MS), used, dailyLimit, learnedFrom);

  const state = async (mark: boolean) => {
    const [used, day, spent] = (await stateScript(redis, [key], [now(), mark ? '1' : '0'])) as number[];
    return { used: used!, day: day!, spent: spent === 1 };
  };

  return {
    async acquire() {
      const answer = (await acquireScript(redis, [key], [now(), intervalMs, dailyLimit, maxWaitMs])) as number[];
      const [status] = answer;
      if (status === 0) {
        const [, used, day] = answer as [number, number, number];
        throw exhausted(used, day, used >= dailyLimit ? 'budget' : 'upstream');
      }
      const [, waitMs] = answer as [number, number];
      if (status === 2) throw new ThrottleTimeoutError(service, waitMs);
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    },
    async markSpent() {
      const { used, day } = await state(true);
      return exhausted(used, day, 'upstream');
    },
    async exhaustion() {
      const { used, day, spent } = await state(false);
      if (spent) return exhausted(used, day, 'upstream');
      return used >= dailyLimit ? exhausted(used, day, 'budget') : null;
    },
    async usage() {
      const { used, day, spent } = await state(false);
      return { day: new Date(day * DAY_MS).toISOString().slice(0, 10), used, limit: dailyLimit, spent };
    },
  };
}
