import { inboxCandidatesInput, inboxListInput, inboxResolveInput } from '../../shared/inbox.schema.js';
import { protectedProcedure, router } from '../trpc/init.js';

export const inboxRouter = router({
  list: protectedProcedure.input(inboxListInput).query(({ ctx, input }) => ctx.services.inbox.list(ctx.user.id, input.limit)),

  candidates: protectedProcedure
    .input(inboxCandidatesInput)
    .query(({ ctx, input }) => ctx.services.inbox.candidates(ctx.user.id, input.target, ctx.logger)),

  resolve: protectedProcedure
    .input(inboxResolveInput)
    .mutation(({ ctx, input }) => ctx.services.inbox.resolve(ctx.user.id, input.target, input.choice, ctx.logger)),
});
