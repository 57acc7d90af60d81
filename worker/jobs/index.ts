import type { Services } from '../../server/services/index.js';
import type { JobHandler } from '../job-registry.js';
import { buildExportJob } from './build-export.job.js';
import { dedupScanJob } from './dedup-scan.job.js';
import { expireExportJob } from './expire-export.job.js';
import { detectVenueJob } from './detect-venue.job.js';
import { groupEventsJob } from './group-events.job.js';
import { matchConcertJob } from './match-concert.job.js';
import { renderVariantsJob } from './render-variants.job.js';
import { ingestPhotoJob } from './ingest-photo.job.js';
import { scanSourceJob } from './scan-source.job.js';
import { onThisDaySweepJob } from './on-this-day-sweep.job.js';
import { rescanSourceJob } from './rescan-source.job.js';
import { scanFinishedMailJob } from './scan-finished-mail.job.js';
import { sendMailJob } from './send-mail.job.js';

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
    buildExportJob(services),
    expireExportJob(services),
    rescanSourceJob(services),
    onThisDaySweepJob(services),
    scanFinishedMailJob(services),
    sendMailJob(services),
  ] as JobHandler[];
}
