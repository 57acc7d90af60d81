import { Router, type Request, type Response } from 'express';
import { PLAYLIST_FORMATS, type PlaylistFormat } from '../../shared/playlist.js';
import { playlistParamsSchema, playlistQuerySchema } from '../../shared/playlist.schema.js';
import { NotFoundError } from '../errors.js';
import type { Services } from '../services/index.js';
import { requireSessionUser } from './session.js';

/**
 * GET /api/playlists/concerts/:id.m3u and .xspf (?service=spotify…): a concert's
 * setlist as a playlist file. Plain links the browser follows with its session
 * cookie, like the history export; read-only, so the CSRF guard has nothing to guard.
 */
export function playlistRoutes(services: Pick<Services, 'playlists'>): Router {
  const router = Router();
  for (const format of PLAYLIST_FORMATS) {
    router.get(`/concerts/:id.${format}`, requireSessionUser, (req, res) => download(services.playlists, format, req, res));
  }
  return router;
}

async function download(playlists: Services['playlists'], format: PlaylistFormat, req: Request, res: Response) {
  const params = playlistParamsSchema.safeParse(req.params);
  const query = playlistQuerySchema.safeParse(req.query);
  if (!params.success || !query.success) {
    return void res.status(400).json({ error: { code: 'BAD_REQUEST', message: 'Use a concert id and one of the streaming services' } });
  }
  try {
    const file = await playlists.concertFile(req.session.user!.id, params.data.id, format, query.data.service);
    // Personal data: never kept by the browser's cache or a proxy.
    res.set({ 'Cache-Control': 'no-store', 'Content-Type': file.contentType, 'Content-Disposition': file.contentDisposition }).send(file.body);
  } catch (error) {
    // Missing and someone else's alike, and nothing said about which.
    if (error instanceof NotFoundError) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Not found' } });
    throw error;
  }
}
