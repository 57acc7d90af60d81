import sharp from 'sharp';
import type { AppConfig } from '../server/config.js';
import { createDatabase } from '../server/db/client.js';
import type { Logger } from '../server/logger.js';
import { createQueueRedis, createRedis, warnOnEvictingQueueRedis } from '../server/redis.js';
import { createCoreServices } from '../server/services/core.js';
import { createWorkerServices } from './services.js';

export type { WorkerServices } from './services.js';

/**
 * What a worker process holds: pools, Redis connections and the worker's services
 * (worker/services.ts on the shared core). sharp runs one thread per job: the photo
 * queue's concurrency (one job per core by default) is what spreads work over the
 * cores, so two jobs never fight over the same ones.
 */
export function createWorkerRuntime(config: AppConfig, logger: Logger) {
  sharp.concurrency(1);
  sharp.cache(false);
  const database = createDatabase(config.database, logger);
  // Jobs wait for Redis rather than fail while it restarts.
  const redis = createRedis(config.redis, { enableOfflineQueue: true, maxRetriesPerRequest: null });
  const queueRedis = createQueueRedis(config.redis);
  for (const [name, connection] of Object.entries({ redis, queueRedis })) {
    connection.on('error', (error) => logger.warn({ connection: name, err: error.message }, 'redis connection error'));
  }
  // Workers write cache invalidations too, so they wait for the cache Redis as for the other.
  const cacheRedis =
    config.redis.cacheUrl === config.redis.url
      ? redis
      : createRedis({ ...config.redis, url: config.redis.cacheUrl }, { enableOfflineQueue: true, maxRetriesPerRequest: null });
  if (cacheRedis !== redis)
    cacheRedis.on('error', (error) => logger.warn({ connection: 'cacheRedis', err: error.message }, 'redis connection error'));
  void warnOnEvictingQueueRedis(redis, logger);
  const services = createWorkerServices(createCoreServices({ config, db: database.db, redis, queueRedis, cacheRedis, logger }));
  return {
    services,
    async close() {
      await Promise.allSettled([services.core.queues.close(), database.close()]);
      redis.disconnect();
      queueRedis.disconnect();
      if (cacheRedis !== redis) cacheRedis.disconnect();
    },
  };
}
