import { JOB_NAMES, detectVenuePayload } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

export const detectVenueJob = (services: Services) =>
  defineJob({
    queue: 'venue',
    name: JOB_NAMES.detectVenue,
    payload: detectVenuePayload,
    handle: (payload, { attempt, logger }) => services.venueStage.run(payload, attempt, logger),
    onAbandoned: (payload) => services.venueStage.recordAbandoned(payload),
  });
