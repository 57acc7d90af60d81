import { z } from 'zod';
import { duplicateGroupInput } from '../../shared/photo.schema.js';
import { protectedProcedure, router } from '../trpc/init.js';

/** The user's decisions on duplicate groups beyond "keep this one" (photos.resolveDuplicates): keep all, undo, and the decided list. */
export const duplicatesRouter = router({
  decided: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }).default({ limit: 20 }))
    .query(({ ctx, input }) => ctx.services.duplicates.listDecided(ctx.user.id, input.limit)),

  keepAll: protectedProcedure.input(duplicateGroupInput).mutation(async ({ ctx, input }) => {
    await ctx.services.duplicates.keepAll(ctx.user.id, input.groupId);
    return { ok: true as const };
  }),

  reopen: protectedProcedure.input(duplicateGroupInput).mutation(async ({ ctx, input }) => {
    await ctx.services.duplicates.reopen(ctx.user.id, input.groupId);
    return { ok: true as const };
  }),
});
