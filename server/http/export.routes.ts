import { Router, type Request, type Response } from 'express';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/export.js';
import type { Services } from '../services/index.js';
import { requireSessionUser } from './session.js';

/**
 * GET /api/export/history.csv and /api/export/history.json: the user's whole
 * concert history as a download. Plain links the browser follows with its session
 * cookie (tRPC's JSON envelope cannot be saved as a file). Read-only, so the
 * CSRF guard has nothing to guard; streamed page by page with backpressure, so a
 * long history costs the server one page of memory whatever its length.
 */
export function exportRoutes(services: Pick<Services, 'exports'>): Router {
  const router = Router();
  for (const format of EXPORT_FORMATS) {
    router.get(`/history.${format}`, requireSessionUser, (req, res) => download(services.exports, format, req, res));
  }
  return router;
}

class ClientGoneError extends Error {
  constructor() {
    super('The client closed the connection');
  }
}

async function download(exporter: Services['exports'], format: ExportFormat, req: Request, res: Response) {
  const user = req.session.user!;
  // Personal data: never kept by the browser's cache or a proxy.
  res.set('Cache-Control', 'no-store');
  const headers = {
    'Content-Type': exporter.contentType(format),
    'Content-Disposition': `attachment; filename="${exporter.fileName(format)}"`,
  };
  if (req.method === 'HEAD') return void res.set(headers).end();

  const chunks = exporter.chunks(user.id, format);
  let step: IteratorResult<string>;
  try {
    step = await chunks.next();
  } catch (error) {
    req.log.error({ err: error, format }, 'export: could not read the history');
    return void res.status(500).json({ error: { code: 'ERROR', message: 'Your history could not be read for the export. Please try again.' } });
  }

  res.set(headers);
  try {
    for (; !step.done; step = await chunks.next()) await write(res, step.value);
    res.end();
  } catch (error) {
    await chunks.return(undefined).catch(() => {});
    if (error instanceof ClientGoneError) return void req.log.info({ format }, 'export: download abandoned');
    // Headers are out: breaking the connection is the only way to tell the browser the file is incomplete.
    req.log.error({ err: error, format }, 'export: failed while streaming');
    res.destroy(error as Error);
  }
}

/** Writes a piece and, when the socket's buffer is full, waits until it has drained (or the client left). */
function write(res: Response, chunk: string): Promise<void> {
  if (res.destroyed) return Promise.reject(new ClientGoneError());
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    // `once`, not on/off: the compression middleware moves 'drain' listeners onto its gzip stream,
    // where res.off cannot reach them; a once-listener removes itself wherever it sits.
    const onClose = () => reject(new ClientGoneError());
    res.once('drain', () => {
      res.off('close', onClose);
      resolve();
    });
    res.once('close', onClose);
  });
}
