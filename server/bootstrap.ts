/**
 * Everything one web process holds: pools, Redis connections, services and the
 * progress feed, built once and closed together. Used by server/main.ts and tests.
 */
import type { AppConfig } from './config.js';
import { createDatabase } from './db/client.js';
import type { Logger } from './logger.js';
import { createCacheRedis, createQueueRedis, createRedis, warnOnEvictingQueueRedis } from './redis.js';
import { ScanProgressFeed } from './repositories/scan-progress-feed.js';
import { createMetrics } from './observability/metrics.js';
import { createWebServices } from './services/index.js';
import { startUploadTempSweeper } from './services/upload-temp-sweeper.js';
import { runQueuesInline } from '../worker/inline-jobs.js';

export function createWebRuntime(config: AppConfig, logger: Logger) {
  const database = createDatabase(config.database, logger);
  // Commands of concurrent requests issued in one tick go out in one write (the hot path is one script a request).
  const redis = createRedis(config.redis, { enableAutoPipelining: true });
  const queueRedis = createQueueRedis(config.redis);
  const cacheRedis = createCacheRedis(config.redis, redis);
  const subscriber = createRedis(config.redis, { enableOfflineQueue: true });
  const connections: Record<string, typeof redis> = { redis, queueRedis, subscriber };
  if (cacheRedis !== redis) connections.cacheRedis = cacheRedis;
  for (const [name, connection] of Object.entries(connections)) {
    connection.on('error', (error) => logger.warn({ connection: name, err: error.message }, 'redis connection error'));
  }
  void warnOnEvictingQueueRedis(redis, logger);
  const services = createWebServices({ config, db: database.db, redis, queueRedis, cacheRedis, logger });
  runQueuesInline(services.core, config.worker.inlineQueues, logger);
  const uploadTempSweeper = startUploadTempSweeper(services.uploads, logger);
  const metrics = createMetrics({
    queues: services.queues,
    poolUsage: database.primaryPoolUsage,
    poolSize: config.database.poolSize,
    cacheCounts: services.viewCache.counts,
  });
  const progressFeed = new ScanProgressFeed(subscriber, (scanId) => services.repositories.scanProgress.channel(scanId));
  return {
    database,
    redis,
    /** Sessions and view cache; the same object as `redis` unless REDIS_CACHE_URL differs. */
    cacheRedis,
    services,
    progressFeed,
    metrics,
    async close() {
      await Promise.allSettled([services.queues.close(), progressFeed.close(), database.close(), uploadTempSweeper.stop()]);
      redis.disconnect();
      queueRedis.disconnect();
      if (cacheRedis !== redis) cacheRedis.disconnect();
    },
  };
}

export type WebRuntime = ReturnType<typeof createWebRuntime>;
