import compression from 'compression';
import express, { type ErrorRequestHandler } from 'express';
import helmet from 'helmet';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { MAX_BATCH_SIZE } from '../shared/trpc-limits.js';
import type { AppConfig } from './config.js';
import type { WebRuntime } from './bootstrap.js';
import type { Logger } from './logger.js';
import { mountClient } from './http/client-assets.js';
import { bodyLimit } from './http/body-limit.js';
import { CurrentUsers } from './http/current-users.js';
import { csrfProtection } from './http/csrf.js';
import { adminQueuesRoutes } from './http/admin-queues.routes.js';
import { exportRoutes } from './http/export.routes.js';
import { healthRoutes } from './http/health.routes.js';
import { Drain } from './http/drain.js';
import { requestContext } from './http/request-context.js';
import { createSessionMiddleware, SESSION_TOUCH_MS } from './http/session.js';
import { googleRoutes } from './http/google.routes.js';
import { mediaRoutes } from './http/media.routes.js';
import { playlistRoutes } from './http/playlist.routes.js';
import { metricsRoutes } from './http/metrics.routes.js';
import { captureError } from './observability/sentry.js';
import { isRedisUnavailableError, REDIS_UNAVAILABLE_MESSAGE } from './errors.js';
import { maxmemoryPolicy, maxmemoryPolicyWarning } from './redis.js';
import { uploadRoutes } from './http/upload.routes.js';
import { unsubscribeRoutes } from './http/unsubscribe.routes.js';
import { createExpressContextFactory } from './trpc/context.js';
import { appRouter, cachedViewSpecs } from './trpc/router.js';
import { cachedViews } from './http/cached-views.js';
import { WireCache } from './cache/wire-cache.js';

export interface AppDependencies {
  config: AppConfig;
  logger: Logger;
  runtime: Pick<WebRuntime, 'database' | 'redis' | 'cacheRedis' | 'services' | 'progressFeed' | 'metrics'>;
}

export async function createApp({ config, logger, runtime }: AppDependencies) {
  const { database, redis, cacheRedis, services, progressFeed, metrics } = runtime;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxy);

  const drain = new Drain();
  app.use(requestContext(logger));
  app.use(drain.trackStreams);
  app.use(metrics.middleware(new Set(Object.keys(appRouter._def.procedures))));
  app.use(
    helmet({
      // Vite's dev server injects inline scripts for hot reload; the built client needs none.
      contentSecurityPolicy:
        config.clientMode === 'vite'
          ? false
          : {
              directives: {
                imgSrc: [
                  "'self'",
                  'data:',
                  ...(config.media.cdnBaseUrl ? [new URL(config.media.cdnBaseUrl).origin] : []),
                  ...(config.map.tiles ? [config.map.tiles.origin] : []),
                ],
              },
            },
      hsts: config.isProduction,
    }),
  );
  const currentUsers = new CurrentUsers(services.repositories.users);
  // Cached views answer here, before the session, tRPC and compression; misses go on and are captured below.
  const views = cachedViews({
    wireCache: new WireCache(cacheRedis, services.viewCache.versions, {
      keyPrefix: config.redis.keyPrefix,
      sessionKey: (id) => services.sessions.sessionKey(id),
      apiLimitPerMinute: config.rateLimits.apiPerMinute,
      sessionTouchMs: SESSION_TOUCH_MS,
    }),
    currentUsers,
    sessionSecret: config.session.secret,
    views: cachedViewSpecs(),
    counter: services.viewCache,
  });
  app.use('/trpc', views.serve);
  // Server-sent events must flow as they are written, not wait in a gzip buffer. Level 1: our JSON (hashes,
  // signed URLs) compresses to a few per cent more than at the default level 6 for a third less CPU (bench:load).
  app.use(compression({ level: 1, filter: (req, res) => req.get('accept') !== 'text/event-stream' && compression.filter(req, res) }));

  app.use('/media', mediaRoutes(services.storage, services.mediaUrls));
  app.use(metricsRoutes(metrics));
  app.use(
    healthRoutes(
      {
        database: () => database.ping(),
        redis: async () => void (await redis.ping()),
        ...(cacheRedis !== redis ? { cacheRedis: async () => void (await cacheRedis.ping()) } : {}),
      },
      // `redis` is on the queue Redis's URL and fails fast, unlike the BullMQ connections.
      { queueRedisMaxmemoryPolicy: async () => maxmemoryPolicyNote(await maxmemoryPolicy(redis)) },
      () => drain.isDraining,
    ),
  );

  // No session: the signed token in the link is the credential.
  app.use('/api/unsubscribe', unsubscribeRoutes(services));

  const session = createSessionMiddleware(config, cacheRedis, currentUsers);
  app.use('/api/uploads', session, uploadRoutes(services, config.http.publicUrl));
  app.use('/api/export', session, exportRoutes(services));
  app.use('/api/playlists', session, playlistRoutes(services));
  app.use('/api/sources/google', session);
  app.use(googleRoutes(services, config));
  app.use(adminQueuesRoutes(services.queues, session, config.http.publicUrl));
  app.use('/trpc', bodyLimit(config.http.maxTrpcBodyBytes), csrfProtection(config.http.publicUrl), session, views.capture);
  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: createExpressContextFactory(services, progressFeed, currentUsers),
      // A batch is a few calls (the client splits larger ones); a body without Content-Length is cut off here.
      maxBatchSize: MAX_BATCH_SIZE,
      maxBodySize: config.http.maxTrpcBodyBytes,
      onError({ error, path, req }) {
        if (error.code !== 'INTERNAL_SERVER_ERROR') return;
        req.log.error({ err: error.cause ?? error, path }, 'procedure failed');
        captureError(error.cause ?? error, { requestId: req.id, tags: { procedure: path } });
      },
    }),
  );

  const closeClient = await mountClient(app, config);
  // Anything no route claimed: a JSON 404 that keeps the security headers set above.
  app.use((req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `Nothing here: ${req.method} ${req.path}` } });
  });
  app.use(errorHandler);
  return { app, close: closeClient, drain };
}

function maxmemoryPolicyNote(policy: string) {
  const warning = maxmemoryPolicyWarning(policy);
  return warning ? { value: policy, warning } : { value: policy };
}

/** Last resort: a dependency failure before tRPC (e.g. the session store) answers fast and clearly. */
const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const redisDown = isRedisUnavailableError(error) || /redis|stream isn't writeable|connection is closed|ECONNREFUSED/i.test(String(error?.message));
  const status = redisDown ? 503 : typeof error?.status === 'number' ? error.status : 500;
  req.log.error({ err: error }, 'request failed');
  if (status >= 500) captureError(error, { requestId: req.id, tags: { path: req.path } });
  if (res.headersSent) return;
  const message = redisDown ? REDIS_UNAVAILABLE_MESSAGE : status < 500 ? String(error.message) : 'Internal server error';
  res.status(status).json({ error: { code: status === 503 ? 'SERVICE_UNAVAILABLE' : 'ERROR', message } });
};
