import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Request id: the caller's X-Request-Id when sane, else a new UUID. Travels into job data. */
    id: string;
    log: Logger;
  }
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Gives every request an id and a child logger, and logs one line when it finishes. */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.setHeader('X-Request-Id', req.id);
    const startedAt = performance.now();
    res.on('finish', () => {
      const durationMs = Math.round(performance.now() - startedAt);
      const level = res.statusCode >= 500 ? 'error' : 'debug';
      req.log[level]({ method: req.method, path: req.path, status: res.statusCode, durationMs }, 'request');
    });
    next();
  };
}
