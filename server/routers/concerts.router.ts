import {
  concertCreateInput, concertDeleteInput, concertGetInput, concertListInput, concertMergeInput, concertUpdateInput,
} from '../../shared/concert.schema.js';
import { protectedProcedure, router } from '../trpc/init.js';

export const concertsRouter = router({
  list: protectedProcedure.input(concertListInput).query(({ ctx, input }) => ctx.services.concerts.list(ctx.user.id, input)),

  years: protectedProcedure.query(({ ctx }) => ctx.services.concerts.years(ctx.user.id)),

  get: protectedProcedure.input(concertGetInput).query(({ ctx, input }) => ctx.services.concerts.get(ctx.user.id, input.id)),

  create: protectedProcedure
    .input(concertCreateInput)
    .mutation(async ({ ctx, input }) => ({ id: await ctx.services.concerts.create(ctx.user.id, input) })),

  update: protectedProcedure.input(concertUpdateInput).mutation(async ({ ctx, input }) => {
    await ctx.services.concerts.update(ctx.user.id, input);
    return { ok: true as const };
  }),

  merge: protectedProcedure.input(concertMergeInput).mutation(async ({ ctx, input }) => {
    await ctx.services.concerts.merge(ctx.user.id, input);
    return { ok: true as const };
  }),

  delete: protectedProcedure.input(concertDeleteInput).mutation(async ({ ctx, input }) => {
    await ctx.services.concerts.delete(ctx.user.id, input.id);
    return { ok: true as const };
  }),
});
