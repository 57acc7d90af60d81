import { authRouter } from '../routers/auth.router.js';
import { router } from './init.js';

export const appRouter = router({
  auth: authRouter,
});

/** The only thing the client imports from the server. */
export type AppRouter = typeof appRouter;
