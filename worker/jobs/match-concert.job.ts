import { JOB_NAMES, matchConcertPayload } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

export const matchConcertJob = (services: Services) =>
  defineJob({
    queue: 'match',
    name: JOB_NAMES.matchConcert,
    payload: matchConcertPayload,
    handle: (payload, { attempt, logger }) => services.concertMatching.run(payload, attempt, logger),
    onAbandoned: (payload, _reason, { logger }) => services.concertMatching.recordAbandoned(payload, logger),
  });
