import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../server/app.js';
import type { AppConfig } from '../../server/config.js';
import { createDatabase } from '../../server/db/client.js';
import { createLogger } from '../../server/logger.js';
import { createRedis, waitForRedis } from '../../server/redis.js';
import { createServices } from '../../server/services/index.js';
import { testConfig } from './test-env.js';

export interface RunningApp {
  url: string;
  config: AppConfig;
  services: ReturnType<typeof createServices>;
  database: ReturnType<typeof createDatabase>;
  redis: ReturnType<typeof createRedis>;
  close(): Promise<void>;
}

/** The real Express app on an ephemeral port, against this run's MariaDB and Redis. */
export async function startTestApp(overrides: Record<string, string> = {}, { waitForRedisReady = true } = {}): Promise<RunningApp> {
  const config = testConfig(overrides);
  const logger = createLogger(config);
  const database = createDatabase(config.database, logger);
  const redis = createRedis(config.redis);
  redis.on('error', () => {});
  if (waitForRedisReady) await waitForRedis(redis);
  const services = createServices({ db: database.db });
  const { app, close: closeClient } = await createApp({ config, logger, database, redis, services });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    services,
    database,
    redis,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await closeClient();
      await database.close();
      redis.disconnect();
    },
  };
}
