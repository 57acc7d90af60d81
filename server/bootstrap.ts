/**
 * Everything one web process holds: pools, Redis connections, services and the
 * progress feed, built once and closed together. Used by server/main.ts and tests.
 */
import type { AppConfig } from './config.js';
import { createDatabase } from './db/client.js';
import type { Logger } from './logger.js';
import { createQueueRedis, createRedis } from './redis.js';
import { ScanProgressFeed } from './repositories/scan-progress-feed.js';
import { createMetrics } from './observability/metrics.js';
import { createServices } from './services/index.js';

export function createWebRuntime(config: AppConfig, logger: Logger) {
  const database = createDatabase(config.database, logger);
  const redis = createRedis(config.redis);
  const queueRedis = createQueueRedis(config.redis);
  const subscriber = createRedis(config.redis, { enableOfflineQueue: true });
  for (const [name, connection] of Object.entries({ redis, queueRedis, subscriber })) {
    connection.on('error', (error) => logger.warn({ connection: name, err: error.message }, 'redis connection error'));
  }
  const services = createServices({ config, db: database.db, redis, queueRedis, logger });
  const metrics = createMetrics({
    queues: services.queues,
    pool: database.primaryPool,
    poolSize: config.database.poolSize,
    cacheCounts: services.viewCache.counts,
  });
  const progressFeed = new ScanProgressFeed(subscriber, (scanId) => services.repositories.scanProgress.channel(scanId));
  return {
    database,
    redis,
    services,
    progressFeed,
    metrics,
    async close() {
      await Promise.allSettled([services.queues.close(), progressFeed.close(), database.close()]);
      redis.disconnect();
      queueRedis.disconnect();
    },
  };
}

export type WebRuntime = ReturnType<typeof createWebRuntime>;
