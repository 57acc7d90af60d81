import { z } from 'zod';
import { protectedProcedure, router } from '../trpc/init.js';

const scanId = z.object({ scanId: z.number().int().positive() });

export const scansRouter = router({
  start: protectedProcedure
    .input(z.object({ sourceId: z.number().int().positive() }))
    .mutation(({ ctx, input }) => ctx.services.scans.start(ctx.user.id, input.sourceId, ctx.requestId)),

  get: protectedProcedure.input(scanId).query(({ ctx, input }) => ctx.services.scans.get(ctx.user.id, input.scanId)),

  list: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }).default({ limit: 20 }))
    .query(({ ctx, input }) => ctx.services.scans.list(ctx.user.id, input.limit)),

  cancel: protectedProcedure.input(scanId).mutation(({ ctx, input }) => ctx.services.scans.cancel(ctx.user.id, input.scanId)),

  failures: protectedProcedure.input(scanId).query(({ ctx, input }) => ctx.services.scans.failures(ctx.user.id, input.scanId)),

  retryFailed: protectedProcedure
    .input(scanId)
    .mutation(({ ctx, input }) => ctx.services.scans.retryFailed(ctx.user.id, input.scanId, ctx.requestId)),

  /** Live progress over SSE; works whichever web server the browser is connected to. */
  onProgress: protectedProcedure
    .input(scanId)
    .subscription(({ ctx, input, signal }) => ctx.services.scans.watch(ctx.user.id, input.scanId, ctx.progressFeed, signal)),
});
