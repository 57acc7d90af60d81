import { artistSearchInput } from '../../shared/concert.schema.js';
import { protectedProcedure, router } from '../trpc/init.js';

export const artistsRouter = router({
  search: protectedProcedure.input(artistSearchInput).query(({ ctx, input }) => ctx.services.artists.search(ctx.user.id, input.q, input.limit)),
});
