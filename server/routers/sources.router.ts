import { z } from 'zod';
import { libraryInput } from '../../shared/library.schema.js';
import { RESCAN_SCHEDULES } from '../services/rescan-schedule-pattern.js';
import { protectedProcedure, router } from '../trpc/init.js';

export const sourcesRouter = router({
  list: protectedProcedure.query(({ ctx }) => ctx.services.sources.list(ctx.user.id)),

  /** Each source's rescan schedule, next run and what its last scheduled run found. */
  schedules: protectedProcedure.query(({ ctx }) => ctx.services.rescanSchedules.list(ctx.user.id)),

  setSchedule: protectedProcedure
    .input(z.object({ sourceId: z.number().int().positive(), schedule: z.enum(RESCAN_SCHEDULES) }))
    .mutation(({ ctx, input }) => ctx.services.rescanSchedules.set(ctx.user.id, input.sourceId, input.schedule)),

  /** The server folders this user may import from, so the form can tell them where to put photos. */
  importFolders: protectedProcedure.query(({ ctx }) => ctx.services.sources.importFolders(ctx.user.id)),

  addLocalFolder: protectedProcedure
    .input(z.object({ path: z.string().trim().min(1, 'Give a folder path').max(1024) }))
    .mutation(({ ctx, input }) => ctx.services.sources.addLocalFolder(ctx.user.id, input.path)),

  /** Stops scanning a library and forgets its Drive grant; its photos and concerts stay in the history. */
  disconnect: protectedProcedure
    .input(libraryInput)
    .mutation(({ ctx, input }) => ctx.services.libraryRemoval.disconnect(ctx.user.id, input.sourceId)),

  /** Removes a library with its photos (and the concerts found only in them). */
  remove: protectedProcedure.input(libraryInput).mutation(({ ctx, input }) => ctx.services.libraryRemoval.remove(ctx.user.id, input.sourceId)),
});
