import { z } from 'zod';
import { protectedProcedure, router } from '../trpc/init.js';

export const artistsRouter = router({
  search: protectedProcedure
    .input(z.object({ q: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(20).default(10) }))
    .query(({ ctx, input }) => ctx.services.artists.search(input.q, input.limit)),
});
