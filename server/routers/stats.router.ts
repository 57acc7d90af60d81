import { statsSummaryInput } from '../../shared/stats.schema.js';
import { CACHE_TTL } from '../cache/versioned-cache.js';
import { viewTags } from '../cache/view-versions.js';
import { cachedView, protectedProcedure, router } from '../trpc/init.js';

export const statsRouter = router({
  summary: protectedProcedure
    .meta(cachedView(CACHE_TTL.stats, () => [viewTags.stats]))
    .input(statsSummaryInput)
    .query(({ ctx }) => ctx.services.stats.summary(ctx.user.id)),
});
