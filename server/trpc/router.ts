import { adminRouter } from '../routers/admin.router.js';
import { artistsRouter } from '../routers/artists.router.js';
import { authRouter } from '../routers/auth.router.js';
import { concertsRouter } from '../routers/concerts.router.js';
import { exportsRouter } from '../routers/exports.router.js';
import { inboxRouter } from '../routers/inbox.router.js';
import { notificationsRouter } from '../routers/notifications.router.js';
import { photosRouter } from '../routers/photos.router.js';
import { scansRouter } from '../routers/scans.router.js';
import { sourcesRouter } from '../routers/sources.router.js';
import { statsRouter } from '../routers/stats.router.js';
import { router } from './init.js';

export const appRouter = router({
  auth: authRouter,
  sources: sourcesRouter,
  scans: scansRouter,
  photos: photosRouter,
  concerts: concertsRouter,
  artists: artistsRouter,
  inbox: inboxRouter,
  stats: statsRouter,
  exports: exportsRouter,
  admin: adminRouter,
  notifications: notificationsRouter,
});

/** The only thing the client imports from the server. */
export type AppRouter = typeof appRouter;
