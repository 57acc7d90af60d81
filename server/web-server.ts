/** One web server process: the app on the port, drained and closed on SIGTERM. */
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from './config.js';
import { createApp } from './app.js';
import { createWebRuntime } from './bootstrap.js';
import { createLogger } from './logger.js';
import { flushSentry, initSentry } from './observability/sentry.js';

/** The line scripts and tests wait for; printed once per server (by the primary when there are several processes). */
export function listeningLine(config: AppConfig, port: number): string {
  const url = config.http.publicUrl ?? `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${port}`;
  return `Concert History web server is listening on ${url}`;
}

export async function runWebServer(config: AppConfig): Promise<void> {
  initSentry(config, 'web');
  const logger = createLogger(config, { role: 'web', ...(cluster.isWorker ? { process: cluster.worker!.id } : {}) });
  const runtime = createWebRuntime(config, logger);
  const { app, close: closeClient, drain } = await createApp({ config, logger, runtime });

  const server = app.listen(config.http.port, config.http.host, () => {
    const { port } = server.address() as AddressInfo;
    logger.info({ port, clientMode: config.clientMode }, 'web server listening');
    if (cluster.isPrimary) console.log(listeningLine(config, port));
  });
  server.keepAliveTimeout = 65_000;

  let shuttingDown = false;
  async function shutdown(signal: string) {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const forceExit = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 25_000);
    forceExit.unref();
    drain.start();
    server.close(async () => {
      await Promise.allSettled([closeClient(), runtime.close(), flushSentry()]);
      logger.info('web server stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // A process of a cluster whose primary is gone has nobody to hand it connections.
  if (cluster.isWorker) process.on('disconnect', () => void shutdown('disconnect'));
}
