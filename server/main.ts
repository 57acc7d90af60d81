/** Entrypoint of one stateless web server: `npm run web`, or `node dist/server/main.js`. */
import type { AddressInfo } from 'node:net';
import { loadConfigOrExit } from './config.js';
import { createApp } from './app.js';
import { createDatabase } from './db/client.js';
import { createLogger } from './logger.js';
import { createRedis } from './redis.js';
import { createServices } from './services/index.js';

const config = loadConfigOrExit();
const logger = createLogger(config, { role: 'web' });
const database = createDatabase(config.database, logger);
const redis = createRedis(config.redis);
redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
const services = createServices({ db: database.db });
const { app, close: closeClient } = await createApp({ config, logger, database, redis, services });

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
  server.close(async () => {
    await Promise.allSettled([closeClient(), database.close(), redis.quit()]);
    logger.info('web server stopped');
    process.exit(0);
  });
  server.closeIdleConnections();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
