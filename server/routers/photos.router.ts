import { z } from 'zod';
import { protectedProcedure, router } from '../trpc/init.js';

export const photosRouter = router({
  duplicates: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => ctx.services.duplicates.listOpen(ctx.user.id, input.limit)),

  resolveDuplicates: protectedProcedure
    .input(z.object({ groupId: z.number().int().positive(), keepPhotoId: z.number().int().positive() }))
    .mutation(async ({ ctx, input }) => {
      await ctx.services.duplicates.resolve(ctx.user.id, input.groupId, input.keepPhotoId);
      return { ok: true as const };
    }),
});
