import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../server/app.js';
import type { AppConfig } from '../../server/config.js';
import { createWebRuntime, type WebRuntime } from '../../server/bootstrap.js';
import { createLogger } from '../../server/logger.js';
import { waitForRedis } from '../../server/redis.js';
import { testConfig } from './test-env.js';

export interface RunningApp {
  url: string;
  config: AppConfig;
  services: WebRuntime['services'];
  database: WebRuntime['database'];
  redis: WebRuntime['redis'];
  /** Live scan progress, as the app's procedures get it (tests/support/in-process-caller.ts). */
  progressFeed: WebRuntime['progressFeed'];
  /** What SIGTERM starts in server/main.ts. */
  drain: Awaited<ReturnType<typeof createApp>>['drain'];
  close(): Promise<void>;
}

/** The real Express app on an ephemeral port, against this run's MariaDB and Redis. */
export async function startTestApp(overrides: Record<string, string> = {}, { waitForRedisReady = true } = {}): Promise<RunningApp> {
  const config = testConfig(overrides);
  const logger = createLogger(config);
  const runtime = createWebRuntime(config, logger);
  if (waitForRedisReady) await waitForRedis(runtime.redis);
  const { app, close: closeClient, drain } = await createApp({ config, logger, runtime });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    services: runtime.services,
    database: runtime.database,
    redis: runtime.redis,
    progressFeed: runtime.progressFeed,
    drain,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await closeClient();
      await runtime.close();
    },
  };
}
