/**
 * A cap on things held open at once (live-progress streams), shared by every web
 * server: each open thing holds a lease in a Redis sorted set scored by its expiry.
 * The holder renews it while it lives and removes it when it ends; a lease of a
 * server that died is not renewed and stops counting after `ttlMs`.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.js';

export interface Lease {
  /** Gives the slot back; safe to call more than once, never throws. */
  release(): Promise<void>;
}

const NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;

const acquireScript = redisScript(`${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`);

// XX: a lease already released (or lost) is not brought back by a late renewal.
const renewScript = redisScript(`${NOW}
local renewed = redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[2]), ARGV[1])
if renewed == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return renewed
`);

export class ConcurrentLeases {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly options: { limit: number; ttlMs: number },
  ) {}

  key(owner: string | number): string {
    return `${this.keyPrefix}:${owner}`;
  }

  /** A lease, or null when `owner` already holds `limit` of them. */
  async acquire(owner: string | number): Promise<Lease | null> {
    const key = this.key(owner);
    const id = randomUUID();
    const { ttlMs, limit } = this.options;
    if (!(await acquireScript(this.redis, [key], [id, limit, ttlMs]))) return null;
    let released = false;
    const renewal = setInterval(
      () => {
        renewScript(this.redis, [key], [id, ttlMs]).catch(() => {
          // Redis is away: the lease may lapse, which only lets one more stream open later.
        });
      },
      Math.max(1_000, Math.floor(ttlMs / 3)),
    );
    renewal.unref();
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        await this.redis.zrem(key, id).catch(() => {});
      },
    };
  }
}
