/**
 * The scan pipeline, declared once: its stages, what each hands to the next, and
 * when a scan is done. Each stage is a job of the table (shared/jobs.ts: queue,
 * payload, id, retries), the service call that does its work, and what follows:
 *
 *   scans.start ──► scan-source ──each page of new files──► ingest-photo (one job per file)
 *                        │ the listing is over                      │ the file is done (or failed)
 *                        └──────────────► last file? ◄──────────────┘
 *                                             ▼
 *                                        dedup-scan ──► group-events ──each event──► detect-venue ──► match-concert
 *                                                            │ no events                                  │ the event is done
 *                                                            └──────────► scan complete ◄── last event? ──┘
 *                                                                              └──► scan-finished-mail (with SMTP_URL)
 *
 * "Last file?" and "last event?" are asked of the scan's tally (one Lua script in
 * server/repositories/scan-progress.repository.ts): atomically, so one caller is
 * told, and told again if its job is retried before the scan moved on (the next
 * job's id makes the repeat a no-op). That, deterministic job ids and idempotent
 * services are what keep a scan exactly-once through crashes (tests/faults/).
 *
 * What every stage shares lives here too: a cancelled scan runs no stage and
 * settles no failure; a long stage asks `stopped()` between its steps. A stage
 * failed for good (a refusal, the last attempt, or stalled in crashed workers)
 * never leaves the scan waiting: `onFailed` records it and hands the work on.
 */
import type { JobInput, JobPayload } from '../shared/jobs.js';
import type { Logger } from '../server/logger.js';
import { done, skipped, type Outcome, type StopCheck } from '../server/outcome.js';
import type { JobSender } from '../server/queue/job-sender.js';
import type { ScanProgressRepository } from '../server/repositories/scan-progress.repository.js';
import type { ConcertMatchingService } from '../server/services/concert-matching.service.js';
import type { DedupService } from '../server/services/dedup.service.js';
import type { EventGroupingService, EventToMatch } from '../server/services/event-grouping.service.js';
import type { PhotoIngestService } from '../server/services/photo-ingest.service.js';
import type { ScanLifecycle } from '../server/services/scan-lifecycle.js';
import type { ListedPage, ScanListingService } from '../server/services/scan-listing.service.js';
import type { VenueDetectionService } from '../server/services/venue-detection.service.js';
import type { Failure, JobContext, JobHandler } from './job-registry.js';

export interface ScanPipelineDependencies {
  scanListing: ScanListingService;
  photoIngest: PhotoIngestService;
  dedup: DedupService;
  eventGrouping: EventGroupingService;
  venueDetection: Pick<VenueDetectionService, 'detect'>;
  concertMatching: ConcertMatchingService;
  scanLifecycle: ScanLifecycle;
  /** The scan's live counters: the tally that says "that was the last one". */
  tally: ScanProgressRepository;
  jobs: JobSender;
  /** Whether a completed scan earns mails (SMTP_URL is set). */
  mailEnabled: boolean;
}

export type ScanJob = 'scan-source' | 'ingest-photo' | 'dedup-scan' | 'group-events' | 'detect-venue' | 'match-concert';

type ScanPayload = { scanId: number; userId: number; requestId?: string | undefined };

export interface StageContext extends JobContext {
  /** True once the scan was cancelled: a long stage asks between its steps. */
  stopped: StopCheck;
}

/** One stage: the work, then what follows when it is done, or when it failed for good. */
interface Stage<Payload, Value> {
  run(payload: Payload, context: StageContext): Promise<Outcome<Value>>;
  /** What follows; may return what the job keeps as its result (else `value`). */
  onDone(payload: Payload, value: Value, context: StageContext): Promise<unknown>;
  onFailed(payload: Payload, failure: Failure, context: JobContext): Promise<unknown>;
}

export function scanPipeline(deps: ScanPipelineDependencies): { [Name in ScanJob]: JobHandler<JobPayload<Name>> } {
  const { jobs, tally, scanLifecycle: lifecycle } = deps;
  const scanOf = ({ scanId, userId, requestId }: ScanPayload) => ({ scanId, userId, requestId });

  /** The one place a scan stage is made into a job handler: cancellation is checked here, and nowhere else. */
  function stage<Payload extends ScanPayload, Value>(definition: Stage<Payload, Value>): JobHandler<Payload> {
    return {
      async run(payload, context) {
        const stopped = () => tally.isCancelled(payload.scanId);
        if (await stopped()) return skipped('cancelled');
        const stageContext = { ...context, stopped };
        const outcome = await definition.run(payload, stageContext);
        if (outcome.status !== 'done') return outcome;
        return done((await definition.onDone(payload, outcome.value, stageContext)) ?? outcome.value);
      },
      async onFailed(payload, failure, context) {
        if (await tally.isCancelled(payload.scanId)) return;
        await definition.onFailed(payload, failure, context);
      },
    };
  }

  /** The scan ends: counters frozen into its row, the feed says so, and its mails are decided. */
  async function complete(scan: ScanPayload, logger: Logger, note?: string) {
    await lifecycle.complete(scan, logger, note);
    if (deps.mailEnabled) await jobs.add('scan-finished-mail', scanOf(scan));
  }

  /** Counted once, whatever the outcome; the last file of a listed scan hands it to dedup. */
  async function fileDone(file: JobPayload<'ingest-photo'>, outcome: 'processed' | 'failed') {
    if ((await tally.markDone(file.scanId, file.file.fileId, outcome)).finishing) await jobs.add('dedup-scan', scanOf(file));
  }

  /** Counted once; the last event completes the scan. */
  async function eventDone(event: JobPayload<'match-concert'>, logger: Logger) {
    await lifecycle.refreshMatched(event);
    if ((await tally.markEventDone(event.scanId, event.eventKey)).finishing) await complete(event, logger);
  }

  return {
    'scan-source': stage({
      async run(scan, { stopped, logger }) {
        await lifecycle.markRunning(scan);
        const outcome = await deps.scanListing.list(scan, { stopped, handOn: (page: ListedPage) => filesListed(scan, page) });
        if (outcome.status === 'done') logger.info({ scanId: scan.scanId, queued: outcome.value.queued }, 'listing finished');
        return outcome;
      },
      async onDone(scan, { unchanged }) {
        // Before the listing is done: the scan cannot complete until then, so its row gets this count.
        await tally.setCounts(scan.scanId, { unchanged });
        if (await tally.listingDone(scan.scanId)) await jobs.add('dedup-scan', scanOf(scan));
      },
      onFailed: (scan, failure) =>
        lifecycle.fail(scan, failure.cause === 'refused' ? failure.reason : `The library could not be listed: ${failure.reason}`),
    }),

    'ingest-photo': stage({
      run: (file) => deps.photoIngest.ingest(file),
      onDone: (file) => fileDone(file, 'processed'),
      async onFailed(file, failure, { logger }) {
        const reason = failure.cause === 'refused' ? failure.reason : `Could not be read: ${failure.reason}`;
        logger.info({ fileId: file.file.fileId, reason }, 'photo failed');
        await deps.photoIngest.recordFailure(file, reason.slice(0, 1000));
        await fileDone(file, 'failed');
      },
    }),

    'dedup-scan': stage({
      run: (scan, { stopped, logger }) => deps.dedup.run(scan, { stopped, logger }),
      async onDone(scan, { duplicates }) {
        await tally.setCounts(scan.scanId, { duplicates });
        await jobs.add('group-events', scanOf(scan));
      },
      // The photos are all in: the scan goes on to matching, noting what went wrong.
      onFailed: (scan, failure) =>
        jobs.add('group-events', { ...scanOf(scan), note: `Duplicates could not be grouped: ${failure.reason}`.slice(0, 1000) }),
    }),

    'group-events': stage({
      run: async (scan, { logger }) => done(await deps.eventGrouping.group(scan, logger)),
      async onDone(scan, events: EventToMatch[], { logger }) {
        const { finishing: nothingToMatch } = await tally.startMatching(scan.scanId, events.length);
        await jobs.addBulk(
          'detect-venue',
          events.map((event) => ({ ...scanOf(scan), ...event })),
        );
        if (nothingToMatch) await complete(scan, logger, scan.note);
        else await lifecycle.refreshMatched(scan);
        return { events: events.length };
      },
      // Photos that could not be grouped stay unmatched; the scan still ends.
      onFailed: (scan, failure, { logger }) => complete(scan, logger, `Photos could not be grouped into concerts: ${failure.reason}`.slice(0, 1000)),
    }),

    'detect-venue': stage({
      run: async (event) => done(await deps.venueDetection.detect(event.userId, event)),
      async onDone(event, venue) {
        await jobs.add('match-concert', { ...event, venueId: venue?.venueId ?? null, venueConfidence: venue?.confidence ?? null });
        return { venueId: venue?.venueId ?? null };
      },
      // No venue found for good: matching goes on without one, and the event ends up in the review inbox.
      async onFailed(event, failure, { logger }) {
        logger.warn({ eventKey: event.eventKey, reason: failure.reason }, 'venue detection failed for good; matching goes on without a venue');
        await jobs.add('match-concert', { ...event, venueId: null, venueConfidence: null });
      },
    }),

    'match-concert': stage({
      async run(event, { logger }) {
        const outcome = await deps.concertMatching.matchEvent(event, logger);
        // setlist.fm's day is spent: the event waits for the next (a delayed job), and the scan's progress says until when.
        if (outcome.status === 'retry' && outcome.at) await tally.waitFor(event.scanId, 'setlist.fm', outcome.at);
        return outcome;
      },
      onDone: (event, _match, { logger }) => eventDone(event, logger),
      // The lookup failed for good: the event still becomes a concert, for review, and counts.
      async onFailed(event, failure, { logger }) {
        logger.warn({ eventKey: event.eventKey, reason: failure.reason }, 'concert lookup failed for good; the event needs review');
        await deps.concertMatching.matchEvent(event, logger, { lookUp: false });
        await eventDone(event, logger);
      },
    }),
  };

  /** A page of the listing: counted as listed before its jobs are queued, so a file done meanwhile is never lost. */
  async function filesListed(scan: JobPayload<'scan-source'>, { files, unreadable }: ListedPage) {
    // Files the listing could not read are failed files of the scan, counted like any other.
    if (unreadable.length) {
      await tally.addListed(scan.scanId, unreadable);
      for (const id of unreadable) await tally.markDone(scan.scanId, id, 'failed');
    }
    if (!files.length) return;
    // Listed before queued: were the worker to die in between, a file already ingested would be skipped by its
    // fingerprint on the re-run and never listed, leaving the scan waiting for ever (listed < processed).
    await tally.addListed(
      scan.scanId,
      files.map((file) => file.fileId),
    );
    const { sourceId } = scan;
    await jobs.addBulk(
      'ingest-photo',
      files.map((file): JobInput<'ingest-photo'> => ({ ...scanOf(scan), sourceId, file })),
    );
  }
}
