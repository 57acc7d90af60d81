import {
  concertCreateInput,
  concertDeleteInput,
  concertGetInput,
  concertListInput,
  concertMergeInput,
  concertUpdateInput,
} from '../../shared/concert.schema.js';
import { CACHE_TTL } from '../cache/versioned-cache.js';
import { viewTags } from '../cache/view-versions.js';
import type { ConcertService } from '../services/concert.service.js';
import { cachedView, protectedProcedure, router } from '../trpc/init.js';

type TimelinePage = Awaited<ReturnType<ConcertService['list']>>;
type ConcertPage = Awaited<ReturnType<ConcertService['get']>>;

export const concertsRouter = router({
  // A timeline page shows which concerts there are and what each is (the timeline tag), and each one's photo strip.
  list: protectedProcedure
    .meta(
      cachedView<TimelinePage>(CACHE_TTL.concertList, (_input, page) => [viewTags.timeline, ...page.items.map((item) => viewTags.photos(item.id))]),
    )
    .input(concertListInput)
    .query(({ ctx, input }) => ctx.services.concerts.list(ctx.user.id, input)),

  years: protectedProcedure
    .meta(cachedView(CACHE_TTL.concertList, () => [viewTags.timeline]))
    .query(({ ctx }) => ctx.services.concerts.years(ctx.user.id)),

  get: protectedProcedure
    .meta(cachedView<ConcertPage>(CACHE_TTL.concertDetail, (_input, concert) => [viewTags.concert(concert.id)]))
    .input(concertGetInput)
    .query(({ ctx, input }) => ctx.services.concerts.get(ctx.user.id, input.id)),

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
