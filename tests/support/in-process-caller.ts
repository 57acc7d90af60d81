/**
 * Procedures called in-process through tRPC's createCaller (STYLE.md: where HTTP is not the point): the real
 * router, middlewares, services and database of a running test app, with the session held in memory instead
 * of a cookie and Redis. Use trpcHttpClient when the HTTP layer is what a test is about.
 */
import { randomUUID } from 'node:crypto';
import type { UserSummary } from '../../server/repositories/user.repository.js';
import { createInnerContext, type SessionPort } from '../../server/trpc/context.js';
import { createCallerFactory } from '../../server/trpc/init.js';
import { appRouter } from '../../server/trpc/router.js';
import { createLogger } from '../../server/logger.js';
import type { RunningApp } from './test-app.js';
import { uniqueEmail } from './test-env.js';

/** One browser's session, kept in memory: logging in replaces its id, as the app's session store does. */
class MemorySession implements SessionPort {
  user: UserSummary | null = null;
  id = randomUUID();

  async establish(user: UserSummary) {
    this.id = randomUUID();
    this.user = user;
  }

  async destroy() {
    this.user = null;
  }
}

export function inProcessCaller(app: RunningApp) {
  const session = new MemorySession();
  const caller = createCallerFactory(appRouter)(
    createInnerContext({
      services: app.services,
      progressFeed: app.progressFeed,
      session,
      requestId: randomUUID(),
      clientIp: '127.0.0.1',
      logger: createLogger(app.config),
    }),
  );
  return { caller, session };
}

/** A new user, signed up and logged in through the auth procedures, and their in-process caller. */
export async function signedUpCaller(app: RunningApp, label = 'user') {
  const { caller, session } = inProcessCaller(app);
  const user = await caller.auth.signup({ email: uniqueEmail(label), password: 'correct horse battery', name: 'Fan' });
  return { caller, session, user };
}
