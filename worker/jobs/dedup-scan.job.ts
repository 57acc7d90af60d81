import { JOB_NAMES, dedupScanPayload } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

export const dedupScanJob = (services: Services) =>
  defineJob({
    queue: 'photo',
    name: JOB_NAMES.dedupScan,
    payload: dedupScanPayload,
    handle: (payload, { logger }) => services.dedup.run(payload, logger),
    onAbandoned: (payload, reason) => services.dedup.recordAbandoned(payload, reason),
  });
