/**
 * Read-through cache of what a user sees (stats, the inbox's counts, scan history),
 * keyed by the versions of what each view depends on (view-versions.ts): a view
 * names its tags, or depends on every write of the user when it names none. A write
 * bumps the tags it changes, so invalidation is O(1) and old keys simply expire by
 * their TTL. No KEYS, no SCAN, ever. (The timeline, concert pages and photo grids
 * are cached one layer out, as the bytes that go on the wire: wire-cache.ts.)
 *
 * Values go through superjson, so Dates in the answers survive the round trip.
 * Concurrent misses of one key compute once: in this process through a map of
 * promises in flight, across processes through a short lock (SET NX PX) whose
 * waiters poll the key and compute themselves if the holder never writes it.
 * The cache is an optimisation: a Redis error on its path is logged and the value
 * is computed as if nothing were cached.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import superjson from 'superjson';
import type { Logger } from '../logger.js';
import { ViewVersions, viewTags } from './view-versions.js';

/** Seconds, from the seed's table; `stats` is ours (the seed has none): a minute, like photo counts. */
export const CACHE_TTL = {
  concertList: 5 * 60,
  concertDetail: 10 * 60,
  photoCounts: 60,
  scanStats: 30,
  stats: 60,
  artistSearch: 60 * 60,
  venues: 24 * 60 * 60,
} as const;

/** Hooks called on every hit and miss (the counts themselves are kept in `counts`, which /metrics reads). */
export interface CacheEvents {
  onHit?(name: string): void;
  onMiss?(name: string): void;
}

/** What writers need: make stale the user's views that show what they changed (`bumpUser`: all of them). */
export interface UserCacheInvalidator {
  bumpUser(userId: number): Promise<void>;
  bump(userId: number, tags: readonly string[]): Promise<void>;
}

export const noCacheInvalidation: UserCacheInvalidator = { bumpUser: async () => {}, bump: async () => {} };

export interface VersionedCacheOptions {
  keyPrefix: string;
  logger?: Pick<Logger, 'warn'>;
  events?: CacheEvents;
  /** How long another process may hold the compute lock of a key. */
  lockMs?: number;
  /** How often a waiter looks for the holder's value. */
  pollMs?: number;
}

const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class VersionedCache implements UserCacheInvalidator {
  /** Hits and misses per cache name since start (in-process; metrics read or replace `events`). */
  readonly counts = new Map<string, { hits: number; misses: number }>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly lockMs: number;
  private readonly pollMs: number;
  readonly versions: ViewVersions;

  constructor(
    private readonly redis: Redis,
    private readonly options: VersionedCacheOptions,
  ) {
    this.lockMs = options.lockMs ?? 5_000;
    this.pollMs = options.pollMs ?? 50;
    this.versions = new ViewVersions(redis, options.keyPrefix);
  }

  /**
   * A value of one user's view, cached under the current versions of `tags` (and of
   * everything, `*`); without tags, under the user's count of writes: any write of
   * the user makes it stale.
   */
  async forUser<T>(userId: number, name: string, args: unknown, ttlSeconds: number, load: () => Promise<T>, tags?: readonly string[]): Promise<T> {
    let versions: string[];
    try {
      versions = await this.versions.read(userId, tags ? ['epoch', viewTags.all, ...tags] : ['epoch', 'seq']);
    } catch (error) {
      return this.fallback(name, error, load);
    }
    return this.readThrough(`${this.base()}:u:${userId}:${name}:${hashArgs(args)}:${hashArgs(versions)}`, name, ttlSeconds, load);
  }

  /** A value that is the same for every user (artist search): no version, only the TTL. */
  async shared<T>(name: string, args: unknown, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    return this.readThrough(`${this.base()}:shared:${name}:${hashArgs(args)}`, name, ttlSeconds, load);
  }

  /** Every view of the user is stale: for writes that change much (scans, merges, moves, deletion). */
  bumpUser(userId: number): Promise<void> {
    return this.bump(userId, [viewTags.all]);
  }

  /** One script. A failure is logged, not thrown: the write itself has succeeded, and TTLs bound the staleness. */
  async bump(userId: number, tags: readonly string[]): Promise<void> {
    try {
      await this.versions.bump(userId, tags);
    } catch (error) {
      this.options.logger?.warn({ err: error, userId }, 'cache version bump failed; cached views expire by TTL');
    }
  }

  private base = () => `${this.options.keyPrefix}:cache`;

  private readThrough<T>(key: string, name: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) {
      this.count(name, 'hit');
      return running as Promise<T>;
    }
    const promise = this.lookup(key, name, ttlSeconds, load).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private async lookup<T>(key: string, name: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    let cached: T | undefined;
    try {
      cached = await this.read<T>(key);
    } catch (error) {
      return this.fallback(name, error, load);
    }
    if (cached !== undefined) {
      this.count(name, 'hit');
      return cached;
    }
    const lockKey = `${key}:lock`;
    const token = randomUUID();
    let locked = false;
    try {
      locked = (await this.redis.set(lockKey, token, 'PX', this.lockMs, 'NX')) === 'OK';
      if (locked) {
        // The previous holder may have written the value and let go between our read and our lock.
        const value = await this.read<T>(key);
        if (value !== undefined) {
          await this.redis.eval(RELEASE_LOCK, 1, lockKey, token);
          this.count(name, 'hit');
          return value;
        }
      } else {
        // Another process computes it: wait for its value, at most as long as its lock lasts.
        for (let waited = 0; waited < this.lockMs; waited += this.pollMs) {
          await sleep(this.pollMs);
          const value = await this.read<T>(key);
          if (value !== undefined) {
            this.count(name, 'hit');
            return value;
          }
        }
      }
    } catch (error) {
      return this.fallback(name, error, load);
    }
    this.count(name, 'miss');
    try {
      const value = await load();
      await this.redis.set(key, superjson.stringify(value), 'EX', ttlSeconds).catch((error: unknown) => this.warn(name, error));
      return value;
    } finally {
      if (locked) await this.redis.eval(RELEASE_LOCK, 1, lockKey, token).catch((error: unknown) => this.warn(name, error));
    }
  }

  private async read<T>(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(key);
    return raw === null ? undefined : superjson.parse<T>(raw);
  }

  private fallback<T>(name: string, error: unknown, load: () => Promise<T>): Promise<T> {
    this.warn(name, error);
    this.count(name, 'miss');
    return load();
  }

  private warn(name: string, error: unknown) {
    this.options.logger?.warn({ err: error, cache: name }, 'cache unavailable; computing without it');
  }

  /** Counts a hit or a miss of a cached view (this cache's or the wire cache's). */
  count(name: string, kind: 'hit' | 'miss') {
    const counts = this.counts.get(name) ?? { hits: 0, misses: 0 };
    if (kind === 'hit') {
      counts.hits += 1;
      this.options.events?.onHit?.(name);
    } else {
      counts.misses += 1;
      this.options.events?.onMiss?.(name);
    }
    this.counts.set(name, counts);
  }
}

/** Stable over key order, so `{a, b}` and `{b, a}` share a key. */
function hashArgs(args: unknown): string {
  return createHash('sha1').update(stableJson(args)).digest('base64url').slice(0, 22);
}

function stableJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What services use: reads through the cache and the invalidation of a user's views. */
export type ViewCache = Pick<VersionedCache, 'forUser' | 'shared' | 'bumpUser' | 'bump'>;

/** No cache at all (services built without one, as in unit tests): every read computes. */
export const noViewCache: ViewCache = {
  forUser: (_userId, _name, _args, _ttl, load) => load(),
  shared: (_name, _args, _ttl, load) => load(),
  bumpUser: async () => {},
  bump: async () => {},
};
