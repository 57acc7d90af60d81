import type { Request, RequestHandler } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated state changes must be JSON (a cross-site form or a
 * "simple" fetch cannot send application/json without a CORS preflight, which we
 * never grant) and must come from our own origin when the browser says where
 * they come from.
 */
export function csrfProtection(publicUrl: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const reason = rejectionReason(req, publicUrl);
    if (!reason) return next();
    req.log.warn({ reason, origin: req.get('origin') }, 'csrf: request refused');
    res.status(403).json({ error: { code: 'FORBIDDEN', message: `Request refused: ${reason}` } });
  };
}

/** The origin the app is served from: PUBLIC_URL's, else the request's own host. */
export function ownOrigin(req: Request, publicUrl: string | undefined): string {
  return publicUrl ? new URL(publicUrl).origin : `${req.protocol}://${req.get('host')}`;
}

function rejectionReason(req: Request, publicUrl: string | undefined): string | null {
  const contentType = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== 'application/json') return 'state-changing requests must send a JSON body (Content-Type: application/json)';
  const origin = req.get('origin');
  if (origin) {
    if (origin !== ownOrigin(req, publicUrl)) return `cross-origin request from ${origin}`;
  } else if (req.get('sec-fetch-site') === 'cross-site') {
    return 'cross-site request';
  }
  return null;
}
