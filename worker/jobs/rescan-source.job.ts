import { JOB_NAMES, rescanSourcePayload } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

/** Made by a source's job scheduler: starts a scheduled rescan. */
export const rescanSourceJob = (services: Services) =>
  defineJob({
    queue: 'schedule',
    name: JOB_NAMES.rescanSource,
    payload: rescanSourcePayload,
    handle: (payload, { logger }) => services.rescanSchedules.runScheduled(payload.userId, payload.sourceId, logger),
  });
