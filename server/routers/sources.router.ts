import { z } from 'zod';
import { protectedProcedure, router } from '../trpc/init.js';

export const sourcesRouter = router({
  list: protectedProcedure.query(({ ctx }) => ctx.services.sources.list(ctx.user.id)),

  addLocalFolder: protectedProcedure
    .input(z.object({ path: z.string().trim().min(1, 'Give a folder path').max(1024) }))
    .mutation(({ ctx, input }) => ctx.services.sources.addLocalFolder(ctx.user.id, input.path)),
});
