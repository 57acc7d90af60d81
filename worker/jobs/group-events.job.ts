import { JOB_NAMES, groupEventsPayload } from '../../shared/jobs.js';
import type { Services } from '../../server/services/index.js';
import { defineJob } from '../job-registry.js';

export const groupEventsJob = (services: Services) =>
  defineJob({
    queue: 'venue',
    name: JOB_NAMES.groupEvents,
    payload: groupEventsPayload,
    handle: (payload, { logger }) => services.eventGrouping.run(payload, logger),
    // Photos that could not be grouped stay unmatched; the scan still ends.
    onAbandoned: (payload, reason, { logger }) =>
      services.scanFinisher.complete(payload.userId, payload.scanId, logger, `Photos could not be grouped into concerts: ${reason}`.slice(0, 1000)),
  });
