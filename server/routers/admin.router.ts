import { queueInput, setConcurrencyInput } from '../../shared/admin.schema.js';
import { adminProcedure, router } from '../trpc/init.js';

/** Operators only: the queues behind /admin/queues, and what bull-board cannot do (worker concurrency). */
export const adminRouter = router({
  queues: adminProcedure.query(({ ctx }) => ctx.services.queueAdmin.list()),
  pause: adminProcedure.input(queueInput).mutation(({ ctx, input }) => ctx.services.queueAdmin.pause(input.queue)),
  resume: adminProcedure.input(queueInput).mutation(({ ctx, input }) => ctx.services.queueAdmin.resume(input.queue)),
  retryFailed: adminProcedure.input(queueInput).mutation(({ ctx, input }) => ctx.services.queueAdmin.retryFailed(input.queue)),
  setConcurrency: adminProcedure
    .input(setConcurrencyInput)
    .mutation(({ ctx, input }) => ctx.services.queueAdmin.setConcurrency(input.queue, input.concurrency)),
});
