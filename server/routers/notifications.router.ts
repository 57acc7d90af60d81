import { z } from 'zod';
import { protectedProcedure, router } from '../trpc/init.js';

export const notificationsRouter = router({
  /** Which mails the user gets, the zone their "on this day" morning is read in, and whether this server sends mail at all. */
  preferences: protectedProcedure.query(({ ctx }) => ctx.services.notifications.preferences(ctx.user.id)),

  updatePreferences: protectedProcedure
    .input(
      z
        .object({
          scan_finished: z.boolean(),
          milestone: z.boolean(),
          on_this_day: z.boolean(),
          /** IANA zone ("Europe/Amsterdam"); null: the zone of the user's concerts, else UTC. */
          timeZone: z.string().trim().min(1).max(64).nullable(),
        })
        .partial(),
    )
    .mutation(({ ctx, input }) => ctx.services.notifications.updatePreferences(ctx.user.id, input)),
});
