import { Redis, type RedisOptions } from 'ioredis';
import type { AppConfig } from './config.js';

/**
 * Request-path Redis: fails fast (no offline queue, few retries per command) so a
 * Redis outage turns into a quick 503 instead of hanging requests; it keeps
 * reconnecting in the background and recovers by itself.
 */
export function createRedis(config: AppConfig['redis'], overrides: RedisOptions = {}): Redis {
  return new Redis(config.url, {
    connectTimeout: 2_000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...overrides,
  });
}

/** BullMQ needs connections that wait for Redis instead of failing commands. */
export function createQueueRedis(config: AppConfig['redis']): Redis {
  return createRedis(config, { maxRetriesPerRequest: null, enableOfflineQueue: true });
}

/**
 * Sessions and the view cache: a Redis that may evict (REDIS_CACHE_URL). Without a
 * separate URL it is the request-path connection itself, so no extra socket.
 */
export function createCacheRedis(config: AppConfig['redis'], requestRedis: Redis): Redis {
  return config.cacheUrl === config.url ? requestRedis : createRedis({ ...config, url: config.cacheUrl });
}

/**
 * The queue Redis's maxmemory-policy; BullMQ loses jobs under any policy but noeviction.
 * 'unknown' when CONFIG is disabled (managed Redis) or Redis does not answer.
 */
export async function maxmemoryPolicy(redis: Redis): Promise<string> {
  try {
    const reply = (await redis.call('CONFIG', 'GET', 'maxmemory-policy')) as string[];
    return typeof reply?.[1] === 'string' ? reply[1] : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Readiness warning for a policy that can evict queue keys; null when fine or unknown. */
export function maxmemoryPolicyWarning(policy: string): string | null {
  return policy === 'noeviction' || policy === 'unknown'
    ? null
    : `queue Redis maxmemory-policy is ${policy}; BullMQ needs noeviction or jobs can be evicted (move sessions and cache to REDIS_CACHE_URL)`;
}

/** Logged once at start-up. */
export async function warnOnEvictingQueueRedis(redis: Redis, logger: { warn(obj: object, msg: string): void }): Promise<void> {
  try {
    await waitForRedis(redis);
  } catch {
    return;
  }
  const policy = await maxmemoryPolicy(redis);
  const warning = maxmemoryPolicyWarning(policy);
  if (warning) logger.warn({ maxmemoryPolicy: policy }, warning);
}

/** Wait for the first connection; with enableOfflineQueue off, commands before it would fail. */
export async function waitForRedis(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
