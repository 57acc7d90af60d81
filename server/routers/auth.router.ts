import { changePasswordInput, deleteAccountInput, loginInput, signupInput, updateProfileInput } from '../../shared/auth.schema.js';
import { publicProcedure, router, unbatchedProtectedProcedure, unbatchedPublicProcedure } from '../trpc/init.js';

// The mutations are unbatched: each comes in a request of its own (see trpc/init.ts).
export const authRouter = router({
  signup: unbatchedPublicProcedure
    .input(signupInput)
    .mutation(({ ctx, input }) => ctx.services.auth.register(input, ctx.clientIp, (user) => ctx.session.establish(user))),

  login: unbatchedPublicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const user = await ctx.services.auth.login(input, ctx.clientIp);
    await ctx.session.establish(user);
    return user;
  }),

  logout: unbatchedProtectedProcedure.mutation(async ({ ctx }) => {
    await ctx.session.destroy();
    return { ok: true as const };
  }),

  me: publicProcedure.query(({ ctx }) => ctx.session.user),

  /**
   * A new name or e-mail, seen at once: this session is established again with the user as changed (which
   * also puts them in this server's CurrentUsers); other web servers' ≤ 5 s account check picks it up.
   */
  updateProfile: unbatchedProtectedProcedure.input(updateProfileInput).mutation(async ({ ctx, input }) => {
    const user = await ctx.services.auth.updateProfile(ctx.user, input, ctx.clientIp);
    await ctx.session.establish(user);
    return user;
  }),

  /** A new password ends every other session of the user (on every device); this one stays. */
  changePassword: unbatchedProtectedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await ctx.services.auth.changePassword(ctx.user, input, ctx.clientIp);
    const endedSessions = await ctx.services.sessions.endAll(ctx.user.id, { keep: ctx.session.id });
    return { endedSessions };
  }),

  /** Deletes the account and all its data after checking the password, then ends all its sessions. */
  deleteAccount: unbatchedProtectedProcedure.input(deleteAccountInput).mutation(async ({ ctx, input }) => {
    await ctx.services.auth.underLoginLimits(ctx.user.email, ctx.clientIp, () => ctx.services.accounts.delete(ctx.user.id, input.password));
    await ctx.services.sessions.endAll(ctx.user.id, { keep: ctx.session.id });
    await ctx.session.destroy();
    return { ok: true as const };
  }),
});
