/**
 * Attempt limits that reserve before the work they limit. One Lua script checks
 * every window it is given and, only when all of them have room, records the
 * attempt in all of them; so N attempts at once (parallel requests, a tRPC batch)
 * get at most the limit through, whichever web servers they reach.
 *
 * Each window is a sorted set of attempt ids scored by time (an exact sliding
 * window, at most `limit` members). An attempt that turns out not to count (a
 * successful login, a scan start refused because one is running) is refunded by
 * removing its id. Time is Redis's own, so servers with skewed clocks share one window.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.js';

export interface SlidingWindow {
  key: string;
  /** At least 1: attempts allowed within `windowMs`. */
  limit: number;
  windowMs: number;
}

export type Reservation =
  | { ok: true /** Forgets the attempt; never throws (at worst it keeps counting until it ages out). */; refund(): Promise<void> }
  | { ok: false /** Index in the windows given of the first one that is full. */; refusedBy: number; retryAfterMs: number };

const reserveScript = redisScript(`
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  if redis.call('ZCARD', KEYS[i]) >= limit then
    local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    return {0, i - 1, tonumber(oldest[2]) + window - now}
  end
end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], ARGV[2 * i + 1])
end
return {1}
`);

export async function reserve(redis: Redis, windows: SlidingWindow[]): Promise<Reservation> {
  for (const window of windows) {
    if (!(window.limit >= 1)) throw new Error(`a sliding window needs a limit of at least 1 (${window.key})`);
  }
  const id = randomUUID();
  const args = [id, ...windows.flatMap((window) => [window.limit, window.windowMs])];
  const [ok, refusedBy, retryAfterMs] = (await reserveScript(
    redis,
    windows.map((window) => window.key),
    args,
  )) as number[];
  if (!ok) return { ok: false, refusedBy: refusedBy!, retryAfterMs: Math.max(0, retryAfterMs!) };
  return {
    ok: true,
    async refund() {
      const pipeline = redis.pipeline();
      for (const window of windows) pipeline.zrem(window.key, id);
      await pipeline.exec().catch(() => {});
    },
  };
}
