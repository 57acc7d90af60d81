import { expireExportPayload, JOB_NAMES } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

export const expireExportJob = (services: Services) =>
  defineJob({
    queue: 'export',
    name: JOB_NAMES.expireExport,
    payload: expireExportPayload,
    handle: (payload, { logger }) => services.historyExportBuilder.expire(payload, logger),
  });
