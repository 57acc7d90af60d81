/**
 * /admin/queues: bull-board over every BullMQ queue, for administrators only.
 * Mounted behind the session middleware; the role comes from the session user
 * (set at login), the same source adminProcedure trusts.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type RequestHandler } from 'express';
import { QUEUE_NAMES } from '../../shared/queues.js';
import type { JobQueues } from '../queue/queues.js';
import { ownOrigin } from './csrf.js';
import { requireSessionUser } from './session.js';

export const ADMIN_QUEUES_PATH = '/admin/queues';

const requireAdmin: RequestHandler = (req, res, next) => {
  if (req.session.user?.role === 'admin') return next();
  res.status(403).json({ error: { code: 'FORBIDDEN', message: 'Administrators only' } });
};

/**
 * bull-board's UI changes state with body-less PUT/DELETE calls, which our JSON-only
 * CSRF guard would refuse; the origin check alone is what protects them here.
 */
const sameOriginWrites =
  (publicUrl: string | undefined): RequestHandler =>
  (req, res, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
    const origin = req.get('origin');
    const foreign = origin ? origin !== ownOrigin(req, publicUrl) : req.get('sec-fetch-site') === 'cross-site';
    if (!foreign) return next();
    res.status(403).json({ error: { code: 'FORBIDDEN', message: 'Request refused: cross-origin request' } });
  };

export function adminQueuesRoutes(queues: Pick<JobQueues, 'queue'>, session: RequestHandler, publicUrl: string | undefined): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(queues.queue(name))),
    serverAdapter,
  });
  const router = Router();
  // No CSP relaxation needed: the UI's scripts are same-origin files (its one inline <script> is JSON data, never
  // executed), its CSS-in-JS and Google Fonts fit helmet's default style-src/font-src ('unsafe-inline', https:).
  router.use(ADMIN_QUEUES_PATH, session, requireSessionUser, requireAdmin, sameOriginWrites(publicUrl), serverAdapter.getRouter());
  return router;
}
