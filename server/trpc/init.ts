/** The only initTRPC of the app; exports the approved base procedures and nothing else. */
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';
import { readingFromPrimary } from '../db/read-your-writes.js';
import { RateLimitedError } from '../errors.js';
import type { ViewSpec } from '../http/cached-views.js';
import type { Context } from './context.js';
import { knownTRPCError } from './error-map.js';

export interface ProcedureMeta {
  /** Served from the wire cache (http/cached-views.ts): how long, and which parts of the user's data it shows. */
  view?: ViewSpec;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    // Stack traces (with the server's paths) stay in the logs, whatever NODE_ENV says; tRPC would add them outside production.
    isDev: false,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const { stack: _stack, ...data } = shape.data;
      return {
        ...shape,
        // zod's default message is a JSON dump; people get one readable line instead. An internal error's own
        // message (SQL, file paths) is for the logs, which have it with the request id.
        message:
          cause instanceof ZodError ? readableZodMessage(cause) : error.code === 'INTERNAL_SERVER_ERROR' ? 'Internal server error' : shape.message,
        data: {
          ...data,
          // Field errors a form can show next to its inputs.
          zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
          retryAfterSeconds: cause instanceof RateLimitedError ? cause.retryAfterSeconds : null,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const mapKnownErrors = t.middleware(async ({ next }) => {
  const result = await next();
  const known = result.ok ? null : knownTRPCError(result.error.cause);
  if (known) throw known;
  return result;
});

export const publicProcedure = t.procedure.use(mapKnownErrors);

export const protectedProcedure = publicProcedure
  .use(({ ctx, next }) => {
    const user = ctx.session.user;
    if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please log in first' });
    return next({ ctx: { ...ctx, user } });
  })
  // Per-user API limit (RATE_LIMIT_API_PER_MIN). A subscription is one long call whose reconnects
  // must not eat the budget of the page's other calls.
  .use(async ({ ctx, type, next }) => {
    if (type !== 'subscription') await ctx.services.rateLimits.api(ctx.user.id);
    return next();
  })
  // Read-your-writes (only with replicas): a mutation and the user's requests for a few seconds after it read the primary.
  .use(async ({ ctx, type, next }) => {
    const writers = ctx.services.recentWriters;
    if (!writers) return next();
    if (type === 'mutation') {
      const result = await readingFromPrimary(next);
      await writers.wrote(ctx.user.id);
      return result;
    }
    return (await writers.wroteRecently(ctx.user.id)) ? readingFromPrimary(next) : next();
  })
  // A cached view that missed: its tags, from what it answered, for the wire cache to store it under.
  .use(async ({ ctx, meta, path, getRawInput, next }) => {
    const result = await next();
    const capture = ctx.viewCapture;
    if (result.ok && meta?.view && capture?.procedure === path && capture.userId === ctx.user.id) {
      capture.tags = meta.view.tags(await getRawInput(), result.data);
    }
    return result;
  });

/** The meta of a cached view; `tags` sees the procedure's own output type. */
export function cachedView<TOutput>(ttlSeconds: number, tags: (input: unknown, output: TOutput) => readonly string[] | null): ProcedureMeta {
  return { view: { ttlSeconds, tags: (input, output) => tags(input, output as TOutput) } };
}

/**
 * Sign-up, login, logout, password change, account deletion: each must come in a request
 * of its own. Inside a batch they would run side by side, on one session, and many
 * password checks would ride on one HTTP request.
 */
const alone = t.middleware(({ ctx, next }) => {
  if (ctx.callsInRequest > 1) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: 'Sign-up, login, logout, password and account changes must be sent on their own, not in a batch',
    });
  }
  return next();
});

export const unbatchedPublicProcedure = publicProcedure.use(alone);
export const unbatchedProtectedProcedure = protectedProcedure.use(alone);

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Administrators only' });
  return next();
});

function readableZodMessage(error: ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
