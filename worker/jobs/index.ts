import type { Services } from '../../server/services/index.js';
import type { JobHandler } from '../job-registry.js';
import { dedupScanJob } from './dedup-scan.job.js';
import { detectVenueJob } from './detect-venue.job.js';
import { groupEventsJob } from './group-events.job.js';
import { matchConcertJob } from './match-concert.job.js';
import { renderVariantsJob } from './render-variants.job.js';
import { ingestPhotoJob } from './ingest-photo.job.js';
import { scanSourceJob } from './scan-source.job.js';

/** Every job handler of the product, one module per job (`<name>.job.ts`). */
export function jobHandlers(services: Services): JobHandler[] {
  return [
    scanSourceJob(services),
    ingestPhotoJob(services),
    dedupScanJob(services),
    groupEventsJob(services),
    detectVenueJob(services),
    matchConcertJob(services),
    renderVariantsJob(services),
  ] as JobHandler[];
}
