import { citySearchInput, setHomeCityInput } from '../../shared/home-city.schema.js';
import { protectedProcedure, router } from '../trpc/init.js';

export const homeCityRouter = router({
  /** At most ten cities of the offline list whose name starts with `prefix`. */
  search: protectedProcedure.input(citySearchInput).query(({ ctx, input }) => ctx.services.homeCity.search(input.prefix)),
  get: protectedProcedure.query(({ ctx }) => ctx.services.homeCity.get(ctx.user.id)),
  set: protectedProcedure.input(setHomeCityInput).mutation(({ ctx, input }) => ctx.services.homeCity.set(ctx.user.id, input.geoname)),
  clear: protectedProcedure.mutation(({ ctx }) => ctx.services.homeCity.clear(ctx.user.id)),
});
