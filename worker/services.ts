/**
 * What a worker builds: the services its jobs call, on the core every process shares
 * (server/services/core.ts). The scan pipeline's are grouped as the pipeline
 * declaration (scan-pipeline.ts) takes them.
 */
import { createSmtpMailer } from '../server/mail/mailer.js';
import type { CoreServices } from '../server/services/core.js';
import { ConcertMatchingService } from '../server/services/concert-matching.service.js';
import { DedupService } from '../server/services/dedup.service.js';
import { EventGroupingService } from '../server/services/event-grouping.service.js';
import { ExportService } from '../server/services/export.service.js';
import { HistoryExportBuilder } from '../server/services/history-export-builder.service.js';
import { MailService } from '../server/services/mail.service.js';
import { OnThisDayService } from '../server/services/on-this-day.service.js';
import { PhotoIngestService } from '../server/services/photo-ingest.service.js';
import { PhotoVariantsService } from '../server/services/photo-variants.service.js';
import { ScanLifecycle } from '../server/services/scan-lifecycle.js';
import { ScanListingService } from '../server/services/scan-listing.service.js';
import type { ScanPipelineDependencies } from './scan-pipeline.js';

export function createWorkerServices(core: CoreServices) {
  const { config, repositories: r, storage, queues, sources, viewCache } = core;
  const mailer = config.mail && createSmtpMailer(config.mail);
  const pipeline: ScanPipelineDependencies = {
    scanListing: new ScanListingService(sources, r.sources, r.processedFiles, r.photos),
    photoIngest: new PhotoIngestService(sources, r.photos, r.processedFiles, storage, config),
    dedup: new DedupService(r.photos, r.duplicateGroups, config),
    eventGrouping: new EventGroupingService(r.match, config),
    venueDetection: core.venueDetection,
    concertMatching: new ConcertMatchingService(r.match, r.venues, r.artists, core.concertFacts, core.festivals),
    scanLifecycle: new ScanLifecycle(r.scans, r.scanProgress, r.match, viewCache),
    tally: r.scanProgress,
    jobs: queues,
    mailEnabled: config.mail !== null,
  };
  return {
    core,
    pipeline,
    photoVariants: new PhotoVariantsService(r.photos, sources, storage, config, viewCache),
    historyExportBuilder: new HistoryExportBuilder(r.historyExports, new ExportService(r.exportRows), r.exportRows, storage, queues),
    rescanSchedules: core.rescanSchedules,
    notifications: core.notifications,
    onThisDay: new OnThisDayService(r.mailRecipients, r.mailFacts, queues, config.mail !== null),
    mail: new MailService(
      r.mailDeliveries,
      r.mailRecipients,
      r.mailFacts,
      mailer || null,
      core.unsubscribeTokens || null,
      core.mailLinks,
      core.mediaUrls,
    ),
  };
}

export type WorkerServices = ReturnType<typeof createWorkerServices>;
