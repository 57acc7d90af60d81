import { JOB_NAMES, scanFinishedMailPayload } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

/** After a completed scan: queues its summary and any new milestone mail. */
export const scanFinishedMailJob = (services: Services) =>
  defineJob({
    queue: 'mail',
    name: JOB_NAMES.scanFinishedMail,
    payload: scanFinishedMailPayload,
    handle: (payload, { logger }) => services.notifications.afterScan(payload.userId, payload.scanId, logger),
  });
