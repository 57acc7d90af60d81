import { Router, type Response } from 'express';
import { ConflictError, DomainError, ForbiddenError, RateLimitedError, ValidationError } from '../errors.js';
import type { Services } from '../services/index.js';
import { UploadQuotaExceededError } from '../services/upload.service.js';
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
      res.json(await services.uploads.receive(user.id, req.headers, req, req.log));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refuse(res, error);
    }
  });
  return router;
}

/** A refused upload as the client shows it (client/src/library/upload.ts): a status, a code and the message. */
function refuse(res: Response, error: DomainError) {
  if (res.headersSent) return;
  const [status, code] =
    error instanceof ValidationError
      ? [400, 'BAD_REQUEST']
      : error instanceof UploadQuotaExceededError
        ? [413, 'UPLOAD_QUOTA_EXCEEDED']
        : error instanceof RateLimitedError
          ? [429, 'TOO_MANY_REQUESTS']
          : error instanceof ConflictError
            ? [409, 'CONFLICT']
            : error instanceof ForbiddenError
              ? [403, 'FORBIDDEN']
              : [500, 'INTERNAL_SERVER_ERROR'];
  if (error instanceof RateLimitedError) res.set('Retry-After', String(error.retryAfterSeconds));
  res.status(status).json({ error: { code, message: status === 500 ? 'The upload failed; please try again' : error.message } });
}
