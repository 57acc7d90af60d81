import { JOB_NAMES, scanSourcePayload } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

export const scanSourceJob = (services: Services) =>
  defineJob({
    queue: 'scan',
    name: JOB_NAMES.scanSource,
    payload: scanSourcePayload,
    handle: (payload, { attempt, logger }) => services.scanListing.run(payload, attempt, logger),
    onAbandoned: (payload, reason) => services.scanListing.recordAbandoned(payload, reason),
  });
