import { z } from 'zod';
import { photoListInput, photoMoveInput, photoStarInput } from '../../shared/photo.schema.js';
import { CACHE_TTL } from '../cache/versioned-cache.js';
import { viewTags } from '../cache/view-versions.js';
import { cachedView, protectedProcedure, router } from '../trpc/init.js';

export const photosRouter = router({
  // A concert's grid; the unmatched photos change as scans ingest, which bumps nothing, so they are never cached.
  list: protectedProcedure
    .meta(
      cachedView(CACHE_TTL.concertDetail, (input) => {
        const concertId = (input as { concertId?: unknown }).concertId;
        return typeof concertId === 'number' ? [viewTags.photos(concertId)] : null;
      }),
    )
    .input(photoListInput)
    .query(({ ctx, input }) => ctx.services.photoCuration.list(ctx.user.id, input)),

  star: protectedProcedure.input(photoStarInput).mutation(async ({ ctx, input }) => {
    await ctx.services.photoCuration.star(ctx.user.id, input.id, input.starred, ctx.requestId);
    return { ok: true as const };
  }),

  move: protectedProcedure.input(photoMoveInput).mutation(async ({ ctx, input }) => {
    await ctx.services.photoCuration.move(ctx.user.id, input.photoIds, input.concertId);
    return { ok: true as const };
  }),

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
