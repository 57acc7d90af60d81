/**
 * The per-user API limit (RATE_LIMIT_API_PER_MIN): a sliding window approximated
 * by two fixed minutes (the previous minute's count weighted by how much of it is
 * still inside the window, plus this minute's), as Cloudflare and upstash do: two
 * small counters a user, one INCR a call. The same Lua function runs in the cached
 * views' lookup (wire-cache.ts) and here for every other call, so both paths count
 * against one limit. A refused call is not counted.
 */
import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.js';

const WINDOW_MS = 60_000;

/** Lua: `api_retry_ms(prefix, uid, limit, now)` → 0 when the call may go (and is counted), else the wait in ms. */
export const API_LIMIT_LUA = `
local function api_retry_ms(prefix, uid, limit, now)
  if limit <= 0 then return 0 end
  local window = ${WINDOW_MS}
  local index = math.floor(now / window)
  local base = prefix .. ':ratelimit:api:' .. uid .. ':'
  local counts = redis.call('MGET', base .. (index - 1), base .. index)
  local previous = tonumber(counts[1]) or 0
  local current = tonumber(counts[2]) or 0
  local elapsed = now - index * window
  if current + previous * (window - elapsed) / window >= limit then
    if current >= limit or previous == 0 then return window - elapsed end
    -- When the previous minute's share has shrunk enough for one more call.
    local wait = window - elapsed - math.floor((limit - current) * window / previous)
    return math.max(1, wait)
  end
  redis.call('INCR', base .. index)
  redis.call('PEXPIRE', base .. index, 2 * window)
  return 0
end
local function api_limited(prefix, uid, limit, now)
  return api_retry_ms(prefix, uid, limit, now) > 0
end
`;

const apiCallScript = redisScript(`${API_LIMIT_LUA}
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
return api_retry_ms(ARGV[1], ARGV[2], tonumber(ARGV[3]), now)
`);

/** Counts one call of this user; the milliseconds to wait when the limit is reached, else 0. */
export async function apiCallRetryMs(redis: Redis, keyPrefix: string, userId: number, perMinute: number): Promise<number> {
  if (perMinute <= 0) return 0;
  return Number(await apiCallScript(redis, [], [keyPrefix, userId, perMinute]));
}
