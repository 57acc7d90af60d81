import { adminRouter } from '../routers/admin.router.js';
import { artistsRouter } from '../routers/artists.router.js';
import { authRouter } from '../routers/auth.router.js';
import { concertsRouter } from '../routers/concerts.router.js';
import { duplicatesRouter } from '../routers/duplicates.router.js';
import { exportsRouter } from '../routers/exports.router.js';
import { festivalsRouter } from '../routers/festivals.router.js';
import { homeCityRouter } from '../routers/home-city.router.js';
import { inboxRouter } from '../routers/inbox.router.js';
import { notificationsRouter } from '../routers/notifications.router.js';
import { photosRouter } from '../routers/photos.router.js';
import { scansRouter } from '../routers/scans.router.js';
import { sourcesRouter } from '../routers/sources.router.js';
import { statsRouter } from '../routers/stats.router.js';
import { venuesRouter } from '../routers/venues.router.js';
import type { ViewSpec } from '../http/cached-views.js';
import { router, type ProcedureMeta } from './init.js';

export const appRouter = router({
  auth: authRouter,
  sources: sourcesRouter,
  scans: scansRouter,
  photos: photosRouter,
  duplicates: duplicatesRouter,
  concerts: concertsRouter,
  festivals: festivalsRouter,
  artists: artistsRouter,
  inbox: inboxRouter,
  stats: statsRouter,
  venues: venuesRouter,
  homeCity: homeCityRouter,
  exports: exportsRouter,
  admin: adminRouter,
  notifications: notificationsRouter,
});

/** Procedures served from the wire cache, by path (their meta's `view`). */
export function cachedViewSpecs(): Map<string, ViewSpec> {
  const specs = new Map<string, ViewSpec>();
  for (const [path, procedure] of Object.entries(appRouter._def.procedures)) {
    const view = (procedure as unknown as { _def: { meta?: ProcedureMeta } })._def.meta?.view;
    if (view) specs.set(path, view);
  }
  return specs;
}

/** The only thing the client imports from the server. */
export type AppRouter = typeof appRouter;
