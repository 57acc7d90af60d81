import { exportGetInput, exportListInput, exportStartInput } from '../../shared/export.schema.js';
import { protectedProcedure, router } from '../trpc/init.js';

/** Background exports of the whole history (CSV, JSON, the PDF concert book), built by the `export` queue's workers. */
export const exportsRouter = router({
  start: protectedProcedure
    .input(exportStartInput)
    .mutation(({ ctx, input }) => ctx.services.historyExports.start(ctx.user.id, input.format, ctx.requestId)),

  get: protectedProcedure.input(exportGetInput).query(({ ctx, input }) => ctx.services.historyExports.get(ctx.user.id, input.exportId)),

  list: protectedProcedure.input(exportListInput).query(({ ctx, input }) => ctx.services.historyExports.list(ctx.user.id, input.limit)),
});
