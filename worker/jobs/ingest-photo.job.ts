import { JOB_NAMES, ingestPhotoPayload } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

export const ingestPhotoJob = (services: Services) =>
  defineJob({
    queue: 'photo',
    name: JOB_NAMES.ingestPhoto,
    payload: ingestPhotoPayload,
    handle: (payload, { attempt, logger }) => services.photoIngest.ingest(payload, attempt, logger),
    onAbandoned: (payload, reason, { logger }) => services.photoIngest.recordAbandoned(payload, reason, logger),
  });
