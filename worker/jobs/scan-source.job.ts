import { JOB_NAMES, scanSourcePayload } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

export const scanSourceJob = (services: Services) =>
  defineJob({
    queue: 'scan',
    name: JOB_NAMES.scanSource,
    payload: scanSourcePayload,
    handle: (payload, { job, logger }) =>
      services.scanListing.run(payload, { number: job.attemptsMade + 1, of: job.opts.attempts ?? 1 }, logger),
    onAbandoned: (payload, reason) => services.scanListing.recordAbandoned(payload, reason),
  });
