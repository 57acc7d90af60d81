import { Router } from 'express';
import type { Services } from '../services/index.js';
import { requireSessionUser } from './session.js';

/**
 * GET /api/photos/:id/thumbnail for the logged-in owner only (another user's id
 * answers 404 like a missing one). Thumbnails are content-addressed, so a browser
 * may keep them, privately.
 */
export function photoMediaRoutes(services: Services): Router {
  const router = Router();
  router.get('/:id/thumbnail', requireSessionUser, async (req, res) => {
    const user = req.session.user!;
    const id = Number(req.params.id);
    const key = Number.isSafeInteger(id) && id > 0 ? await services.repositories.photos.thumbnailKeyOf(user.id, id) : null;
    const object = key ? await services.storage.get(key) : null;
    if (!object) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Photo not found' } });
    res.set({ 'Content-Type': 'image/webp', 'Content-Length': String(object.size), 'Cache-Control': 'private, max-age=86400' });
    object.body.pipe(res);
  });
  return router;
}
