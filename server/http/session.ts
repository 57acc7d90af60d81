import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config.js';
import type { UserSummary } from '../repositories/user.repository.js';
import type { SessionPort } from '../trpc/session-port.js';
import type { CurrentUsers } from './current-users.js';
import { sessionStorePrefix, type SessionIndex } from '../repositories/session.repository.js';

declare module 'express-session' {
  interface SessionData {
    user: UserSummary;
    /** When the session's 30 days last started again (ms); see SESSION_TOUCH_MS. */
    touchedAt: number;
  }
}

export const SESSION_COOKIE = 'ch.sid';

/**
 * A session's 30-day sliding expiry is renewed (the record saved with a fresh TTL and
 * the cookie sent again) at most this often, not on every request: a request in
 * between costs one Redis read and no write, and cached views can answer it alone.
 */
export const SESSION_TOUCH_MS = 5 * 60_000;

/**
 * Sessions live in Redis so that any web server can answer any request. After the
 * session is loaded, its user is replaced by the user as the database has them now
 * (CurrentUsers): a changed role applies within seconds, and a session of a deleted
 * account is dropped, on every route behind this middleware.
 */
export function createSessionMiddleware(config: AppConfig, redis: Redis, currentUsers: CurrentUsers): RequestHandler {
  const loadSession = session({
    name: SESSION_COOKIE,
    // No EXPIRE on every request: the TTL is renewed when the session is saved (see SESSION_TOUCH_MS).
    store: new RedisStore({
      client: redis,
      prefix: sessionStorePrefix(config.redis.keyPrefix),
      ttl: config.session.maxAgeMs / 1000,
      disableTouch: true,
    }),
    secret: config.session.secret,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    proxy: config.http.trustProxy,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.isProduction,
      maxAge: config.session.maxAgeMs,
      path: '/',
    },
  });
  const refreshUser = refreshSessionUser(currentUsers);
  return (req, res, next) => loadSession(req, res, (error?: unknown) => (error ? next(error) : refreshUser(req, res, next)));
}

function refreshSessionUser(currentUsers: CurrentUsers): RequestHandler {
  return async (req, _res, next) => {
    const signedIn = req.session?.user;
    if (!signedIn) return next();
    try {
      const current = await currentUsers.get(signedIn.id);
      if (!current) {
        // The account is gone: the session goes too, and the request carries on as a visitor's.
        await promisify((done) => req.session.regenerate(done));
      } else {
        if (!sameUser(signedIn, current)) req.session.user = current;
        // A changed session is saved with a fresh TTL and its cookie sent again (express-session).
        if (Date.now() - (req.session.touchedAt ?? 0) > SESSION_TOUCH_MS) req.session.touchedAt = Date.now();
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

const sameUser = (a: UserSummary, b: UserSummary) => a.id === b.id && a.role === b.role && a.email === b.email && a.name === b.name;

/** For plain Express routes behind the session middleware: 401 without a logged-in user. */
export const requireSessionUser: RequestHandler = (req, res, next) => {
  if (req.session?.user) return next();
  res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'Please log in first' } });
};

const promisify = (run: (done: (err?: unknown) => void) => void) =>
  new Promise<void>((resolve, reject) => run((err) => (err ? reject(err) : resolve())));

export function expressSessionPort(req: Request, index: SessionIndex, currentUsers: CurrentUsers): SessionPort {
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
      req.session.touchedAt = Date.now();
      await promisify((done) => req.session.save(done));
      await index.add(user.id, req.sessionID);
      currentUsers.remember(user);
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
