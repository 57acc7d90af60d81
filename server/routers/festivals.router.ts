import {
  festivalAddActInput,
  festivalAssignInput,
  festivalFromConcertInput,
  festivalIdInput,
  festivalPendingInput,
  festivalRenameInput,
  festivalSetTimesInput,
} from '../../shared/festival.schema.js';
import { protectedProcedure, router } from '../trpc/init.js';

export const festivalsRouter = router({
  /** The festival page: days → acts → photos, and how many photos of each day still wait for an act. */
  get: protectedProcedure.input(festivalIdInput).query(({ ctx, input }) => ctx.services.festivals.page(ctx.user.id, input.festivalId)),
  /** Photo clusters waiting for an act, each with the day's lineup as candidates, best fit first. */
  pending: protectedProcedure.input(festivalPendingInput).query(({ ctx, input }) => ctx.services.festivals.pending(ctx.user.id, input.festivalId)),
  assign: protectedProcedure.input(festivalAssignInput).mutation(({ ctx, input }) => ctx.services.festivals.assign(ctx.user.id, input)),
  setTimes: protectedProcedure.input(festivalSetTimesInput).mutation(({ ctx, input }) => ctx.services.festivals.setTimes(ctx.user.id, input)),
  rename: protectedProcedure.input(festivalRenameInput).mutation(({ ctx, input }) => ctx.services.festivals.rename(ctx.user.id, input)),
  addAct: protectedProcedure.input(festivalAddActInput).mutation(({ ctx, input }) => ctx.services.festivals.addAct(ctx.user.id, input)),
  fromConcert: protectedProcedure
    .input(festivalFromConcertInput)
    .mutation(({ ctx, input }) => ctx.services.festivals.fromConcert(ctx.user.id, input, ctx.logger)),
});
