/**
 * One handler per job of the table (shared/jobs.ts): the scan's stages come from the
 * pipeline declaration (scan-pipeline.ts), the others are here. Each calls a service
 * and says what its result means; the job layer (job-registry.ts) does the rest.
 */
import type { JOBS } from '../shared/jobs.js';
import { done, retryLater } from '../server/outcome.js';
import type { WorkerServices } from './services.js';
import { combineHandlers, type JobHandlers, type SomeJobHandlers } from './job-registry.js';
import { scanPipeline } from './scan-pipeline.js';

type Handlers = SomeJobHandlers<typeof JOBS>;

export function jobHandlers(services: WorkerServices): JobHandlers<typeof JOBS> {
  return combineHandlers(
    scanPipeline(services.pipeline),
    mediaHandlers(services),
    exportHandlers(services),
    scheduleHandlers(services),
    mailHandlers(services),
  ) as JobHandlers<typeof JOBS>;
}

function mediaHandlers(services: WorkerServices): Handlers {
  return {
    'render-variants': { run: (payload, { logger }) => services.photoVariants.render(payload, logger) },
  };
}

function exportHandlers(services: WorkerServices): Handlers {
  return {
    'build-export': {
      run: async (payload, { logger }) => done(await services.historyExportBuilder.build(payload, logger)),
      // The last attempt failed, or the job stalled in crashed workers too often: the user learns that it failed.
      onFailed: (payload, failure) => services.historyExportBuilder.recordFailure(payload, failure.reason),
    },
    'expire-export': { run: async (payload, { logger }) => done(await services.historyExportBuilder.expire(payload, logger)) },
  };
}

function scheduleHandlers(services: WorkerServices): Handlers {
  return {
    /** Made by a source's job scheduler: starts a scheduled rescan. */
    'rescan-source': {
      run: async ({ userId, sourceId }, { logger }) => done(await services.rescanSchedules.runScheduled(userId, sourceId, logger)),
    },
    /** Hourly: queues the "on this day" mails of users for whom it is now morning. */
    'on-this-day-sweep': { run: async (_payload, { logger }) => done(await services.onThisDay.sweep(new Date(), logger)) },
  };
}

function mailHandlers(services: WorkerServices): Handlers {
  return {
    /** After a completed scan: queues its summary and any new milestone mail. */
    'scan-finished-mail': {
      run: async ({ userId, scanId }, { logger }) => done(await services.notifications.afterScan(userId, scanId, logger)),
    },
    /** Sends one event's mail (server/services/mail.service.ts has the exactly-once story). */
    'send-mail': {
      async run(payload, { logger }) {
        const outcome = await services.mail.deliver(payload, logger);
        // A retry finds the mail sent by the claim holder, or takes over its claim once the lease has passed.
        if (outcome === 'busy') return retryLater(`Another worker holds the claim on this mail; retrying later`);
        return done({ outcome });
      },
    },
  };
}
