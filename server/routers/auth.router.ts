import { changePasswordInput, deleteAccountInput, loginInput, signupInput } from '../../shared/auth.schema.js';
import { protectedProcedure, publicProcedure, router } from '../trpc/init.js';

export const authRouter = router({
  signup: publicProcedure.input(signupInput).mutation(async ({ ctx, input }) => {
    const user = await ctx.services.auth.signup(input);
    await ctx.session.establish(user);
    return user;
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const user = await ctx.services.auth.login(input, ctx.clientIp);
    await ctx.session.establish(user);
    return user;
  }),

  logout: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.session.destroy();
    return { ok: true as const };
  }),

  me: publicProcedure.query(({ ctx }) => ctx.session.user),

  /** A new password ends every other session of the user (on every device); this one stays. */
  changePassword: protectedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await ctx.services.auth.changePassword(ctx.user, input, ctx.clientIp);
    const endedSessions = await ctx.services.sessions.endAll(ctx.user.id, { keep: ctx.session.id });
    return { endedSessions };
  }),

  /** Deletes the account and all its data after checking the password, then ends all its sessions. */
  deleteAccount: protectedProcedure.input(deleteAccountInput).mutation(async ({ ctx, input }) => {
    await ctx.services.auth.underLoginLimits(ctx.user.email, ctx.clientIp, () => ctx.services.accounts.delete(ctx.user.id, input.password));
    await ctx.services.sessions.endAll(ctx.user.id, { keep: ctx.session.id });
    await ctx.session.destroy();
    return { ok: true as const };
  }),
});
