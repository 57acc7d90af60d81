/** Entrypoint of one stateless web server: `npm run web`, or `node dist/server/main.js`. */
import type { AddressInfo } from 'node:net';
import { loadConfigOrExit } from './config.js';
import { createApp } from './app.js';
import { createWebRuntime } from './bootstrap.js';
import { createLogger } from './logger.js';
import { flushSentry, initSentry } from './observability/sentry.js';

const config = loadConfigOrExit();
initSentry(config, 'web');
const logger = createLogger(config, { role: 'web' });
const runtime = createWebRuntime(config, logger);
const { app, close: closeClient, drain } = await createApp({ config, logger, runtime });

const server = app.listen(config.http.port, config.http.host, () => {
  const { port } = server.address() as AddressInfo;
  const url = config.http.publicUrl ?? `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${port}`;
  logger.info({ url, clientMode: config.clientMode }, 'web server listening');
  console.log(`Concert History web server is listening on ${url}`);
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
