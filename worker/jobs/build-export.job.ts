import { buildExportPayload, JOB_NAMES } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

export const buildExportJob = (services: Services) =>
  defineJob({
    queue: 'export',
    name: JOB_NAMES.buildExport,
    payload: buildExportPayload,
    handle: (payload, { attempt, logger }) => services.historyExportBuilder.build(payload, attempt, logger),
    // Stalled in crashed workers too often: the user still learns that it failed.
    onAbandoned: (payload, reason) => services.historyExportBuilder.recordFailure(payload, reason),
  });
