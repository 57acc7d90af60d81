import { Router } from 'express';
import { DomainError, ValidationError } from '../errors.js';
import type { Services } from '../services/index.js';
import { ownOrigin } from './csrf.js';
import { requireSessionUser } from './session.js';

/**
 * POST /api/uploads: multipart photos from the browser. Multipart is what a
 * cross-site form can send, so besides the session this route demands a header
 * no form can set (which forces a CORS preflight we never grant) and our origin.
 */
export function uploadRoutes(services: Services, publicUrl: string | undefined): Router {
  const router = Router();
  router.post('/', requireSessionUser, async (req, res) => {
    const user = req.session.user!;
    const origin = req.get('origin');
    if (req.get('x-requested-with') !== 'concert-history' || (origin && origin !== ownOrigin(req, publicUrl))) {
      return void res.status(403).json({ error: { code: 'FORBIDDEN', message: 'Request refused: uploads must come from the app itself' } });
    }
    try {
      res.json(await services.uploads.receive(user.id, req.headers, req));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      res.status(error instanceof ValidationError ? 400 : 500).json({ error: { code: 'BAD_REQUEST', message: error.message } });
    }
  });
  return router;
}
