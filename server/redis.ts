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
