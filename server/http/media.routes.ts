import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { parseRange } from '../media/byte-range.js';
import type { MediaUrls } from '../media/media-urls.js';
import { assertSafeKey } from '../storage/storage-keys.js';
import type { ObjectStorage } from '../storage/storage.js';

const CONTENT_TYPES: Record<string, string> = {
  webp: 'image/webp',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tif: 'image/tiff',
  avif: 'image/avif',
  heic: 'image/heic',
  // Videos and Live Photo clips (originals kept in storage), streamed with Range requests.
  mov: 'video/quicktime',
  mp4: 'video/mp4',
  // History exports (server/exports), served only through download links.
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * GET /media/<key>?e=<expiry>&s=<signature>: photo renditions and kept originals,
 * streamed from storage, for whoever holds a valid signed URL (no session, so a CDN
 * may fetch and cache them). Keys are content-addressed, so the bytes behind a URL
 * never change: immutable caching, a strong ETag, and 304s. One byte range a request
 * (206, `Content-Range`; `If-Range` with the ETag; 416 when it cannot be satisfied,
 * see byte-range.ts), so a video plays and seeks without being downloaded whole.
 * The signature is checked before anything else: a tampered or expired link gets
 * 403 whatever its Range says.
 */
export function mediaRoutes(storage: ObjectStorage, urls: MediaUrls): Router {
  const router = Router();
  const serve = async (req: Request, res: Response) => {
    const key = [req.params.key ?? []].flat().join('/');
    try {
      assertSafeKey(key);
    } catch {
      return void refuse(res, 404, 'NOT_FOUND', 'No such media');
    }
    // A download link (`d`: the signed file name) saves the file as an attachment; personal data, so never cached.
    const download = text(req.query.d);
    const check = urls.check(key, text(req.query.e), text(req.query.s), Date.now(), download);
    if (check === 'expired') return void refuse(res, 403, 'EXPIRED', 'This media link has expired; reload the page for a fresh one');
    if (check === 'invalid') return void refuse(res, 403, 'FORBIDDEN', 'This media link is not valid');

    const etag = `"${createHash('sha256').update(key).digest('base64url').slice(0, 27)}"`;
    res.set({
      ETag: etag,
      'Cache-Control': download === undefined ? IMMUTABLE : 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Accept-Ranges': 'bytes',
    });
    if (download !== undefined) res.set('Content-Disposition', `attachment; filename="${download}"`);
    if (
      req
        .get('if-none-match')
        ?.split(',')
        .some((tag) => tag.trim() === etag)
    )
      return void res.status(304).end();
    // If-Range: the range only while the client's copy is this one (our ETags are strong; a date never matches).
    const ifRange = req.get('if-range');
    const rangeHeader = ifRange === undefined || ifRange.trim() === etag ? req.get('range') : undefined;
    const head = await storage.get(key, rangeHeader ? { start: 0, end: 0 } : undefined);
    if (!head) return void refuse(res, 404, 'NOT_FOUND', 'No such media');
    const contentType = CONTENT_TYPES[key.split('.').pop() ?? ''] ?? 'application/octet-stream';
    const wanted = parseRange(rangeHeader, head.size);
    let object = head;
    if (rangeHeader) {
      // The first probe only told the size; the body is asked for once the range is known.
      head.body.destroy();
      if (wanted.kind === 'unsatisfiable') {
        return void res
          .status(416)
          .set({ 'Content-Range': `bytes */${head.size}`, 'Cache-Control': 'no-store' })
          .end();
      }
      const ranged = await storage.get(key, wanted.kind === 'range' ? wanted.range : undefined);
      if (!ranged) return void refuse(res, 404, 'NOT_FOUND', 'No such media');
      object = ranged;
    }
    res.set('Content-Type', contentType);
    if (wanted.kind === 'range') {
      const { start, end } = wanted.range;
      res.status(206).set({ 'Content-Range': `bytes ${start}-${end}/${object.size}`, 'Content-Length': String(end - start + 1) });
    } else {
      res.set('Content-Length', String(object.size));
    }
    if (req.method === 'HEAD') {
      object.body.destroy();
      return void res.end();
    }
    object.body.on('error', (error) => res.destroy(error));
    // A player that seeks drops the connection: the storage stream must not be left open.
    res.on('close', () => object.body.destroy());
    object.body.pipe(res);
  };
  router.get('/*key', serve);
  router.head('/*key', serve);
  return router;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function refuse(res: Response, status: number, code: string, message: string) {
  // A refusal must not be cached in place of the photo.
  res.set('Cache-Control', 'no-store').status(status).json({ error: { code, message } });
}
