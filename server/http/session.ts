import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config.js';
import type { UserSummary } from '../repositories/user.repository.js';
import type { SessionPort } from '../trpc/context.js';
import type { SessionIndex } from './session-index.js';

declare module 'express-session' {
  interface SessionData {
    user: UserSummary;
  }
}

export const SESSION_COOKIE = 'ch.sid';

/** Where connect-redis keeps a session: this prefix plus the session id. */
export const sessionStorePrefix = (keyPrefix: string) => `${keyPrefix}:sess:`;

/** Sessions live in Redis so that any web server can answer any request. */
export function createSessionMiddleware(config: AppConfig, redis: Redis): RequestHandler {
  return session({
    name: SESSION_COOKIE,
    store: new RedisStore({ client: redis, prefix: sessionStorePrefix(config.redis.keyPrefix), ttl: config.session.maxAgeMs / 1000 }),
    secret: config.session.secret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.http.trustProxy,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.isProduction,
      maxAge: config.session.maxAgeMs,
      path: '/',
    },
  });
}

/** For plain Express routes behind the session middleware: 401 without a logged-in user. */
export const requireSessionUser: RequestHandler = (req, res, next) => {
  if (req.session?.user) return next();
  res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'Please log in first' } });
};

const promisify = (run: (done: (err?: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => run((err) => (err ? reject(err) : resolve())));

export function expressSessionPort(req: Request, index: SessionIndex): SessionPort {
  return {
    get user() {
      return req.session?.user ?? null;
    },
    get id() {
      return req.sessionID;
    },
    async establish(user) {
      await promisify((done) => req.session.regenerate(done));
      req.session.user = user;
      await promisify((done) => req.session.save(done));
      await index.add(user.id, req.sessionID);
    },
    async destroy() {
      const userId = req.session?.user?.id;
      const sessionId = req.sessionID;
      await promisify((done) => req.session.destroy(done));
      if (userId !== undefined) await index.remove(userId, sessionId);
      req.res?.clearCookie(SESSION_COOKIE, { path: '/' });
    },
  };
}
