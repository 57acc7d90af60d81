import type { RequestHandler } from 'express';

/**
 * Refuses a request whose declared body (Content-Length) is over `maxBytes` with 413
 * before any of it is read, and closes the connection rather than drain the rest. A
 * body without a length (chunked) is cut off at `maxBytes` by the reader behind this
 * (tRPC's `maxBodySize`), which answers 413 too.
 */
export function bodyLimit(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.get('content-length') ?? 0);
    if (!(declared > maxBytes)) return next();
    req.log.warn({ declared, maxBytes }, 'request body too large: refused unread');
    res.set('Connection', 'close');
    res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: `Request body too large: at most ${Math.floor(maxBytes / 1024)} KB` } });
  };
}
