import { JOB_NAMES, onThisDaySweepPayload } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

/** Hourly: queues the "on this day" mails of users for whom it is now morning. */
export const onThisDaySweepJob = (services: Services) =>
  defineJob({
    queue: 'schedule',
    name: JOB_NAMES.onThisDaySweep,
    payload: onThisDaySweepPayload,
    handle: (_payload, { logger }) => services.onThisDay.sweep(new Date(), logger),
  });
