/**
 * The context is split in two (as in tRPC's examples): the inner part is all a
 * procedure may use and can be built directly in tests; the adapter part builds it
 * from an Express request.
 */
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { ScanProgressFeedPort } from '../services/scan.service.js';
import type { CurrentUsers } from '../http/current-users.js';
import { expressSessionPort } from '../http/session.js';

import type { ViewCapture } from '../http/cached-views.js';
import type { SessionPort } from './session-port.js';

export type { SessionPort };

export interface InnerContext {
  services: Services;
  progressFeed: ScanProgressFeedPort;
  session: SessionPort;
  requestId: string;
  /** The caller's address (X-Forwarded-For only when TRUST_PROXY is on), for the login limits. */
  clientIp: string;
  logger: Logger;
  /** How many calls the HTTP request carries (a tRPC batch has several); 1 when called in-process. */
  callsInRequest?: number;
  /** Set when this request is a cached view that missed (http/cached-views.ts). */
  viewCapture?: ViewCapture | null;
}

export function createInnerContext(inner: InnerContext) {
  return { ...inner, callsInRequest: inner.callsInRequest ?? 1 };
}

export type Context = ReturnType<typeof createInnerContext>;

export function createExpressContextFactory(services: Services, progressFeed: ScanProgressFeedPort, currentUsers: CurrentUsers) {
  return ({ req, info }: CreateExpressContextOptions): Context =>
    createInnerContext({
      services,
      progressFeed,
      session: expressSessionPort(req, services.sessions, currentUsers),
      requestId: req.id,
      clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      logger: req.log,
      callsInRequest: info.calls.length,
      viewCapture: req.viewCapture ?? null,
    });
}
