import { JOB_NAMES, renderVariantsPayload } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

export const renderVariantsJob = (services: Services) =>
  defineJob({
    queue: 'image',
    name: JOB_NAMES.renderVariants,
    payload: renderVariantsPayload,
    handle: (payload, { logger }) => services.photoVariants.render(payload, logger),
  });
