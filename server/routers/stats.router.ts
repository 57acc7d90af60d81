import { statsSummaryInput } from '../../shared/stats.schema.js';
import { protectedProcedure, router } from '../trpc/init.js';

export const statsRouter = router({
  summary: protectedProcedure.input(statsSummaryInput).query(({ ctx }) => ctx.services.stats.summary(ctx.user.id)),
});
