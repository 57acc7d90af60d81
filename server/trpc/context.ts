/**
 * The context is split in two (as in tRPC's examples): the inner part is all a
 * procedure may use and can be built directly in tests; the adapter part builds it
 * from an Express request.
 */
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import type { Logger } from '../logger.js';
import type { UserSummary } from '../repositories/user.repository.js';
import type { Services } from '../services/index.js';
import type { ScanProgressFeedPort } from '../services/scan.service.js';
import type { CurrentUsers } from '../http/current-users.js';
import { expressSessionPort } from '../http/session.js';

/** The procedures' view of the session, whatever stores it. */
export interface SessionPort {
  readonly user: UserSummary | null;
  /** This session's id, kept when the user ends all their other sessions. */
  readonly id: string;
  /** Logs the user in on a fresh session id (no session fixation). */
  establish(user: UserSummary): Promise<void>;
  destroy(): Promise<void>;
}

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
    });
}
