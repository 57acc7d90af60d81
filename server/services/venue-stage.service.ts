import type { z } from 'zod';
import type { detectVenuePayload } from '../../shared/jobs.js';
import type { Logger } from '../logger.js';
import type { JobQueues } from '../queue/queues.js';
import type { ScanProgressRepository } from '../repositories/scan-progress.repository.js';
import type { VenueDetectionService } from './venue-detection.service.js';

export type DetectVenuePayload = z.output<typeof detectVenuePayload>;

/**
 * The `venue` step of one event: find the venue, then hand the event to matching.
 * A lookup that keeps failing does not stop the scan: on the last attempt the
 * event goes on without a venue and ends up in the review inbox.
 */
export class VenueStageService {
  constructor(
    private readonly detection: VenueDetectionService,
    private readonly progress: ScanProgressRepository,
    private readonly queues: JobQueues,
  ) {}

  async run(payload: DetectVenuePayload, attempt: { number: number; of: number }, logger: Logger) {
    if (await this.progress.isCancelled(payload.scanId)) return { outcome: 'cancelled' as const };
    let venue: Awaited<ReturnType<VenueDetectionService['detect']>> = null;
    try {
      venue = await this.detection.detect(payload.userId, payload);
    } catch (error) {
      if (attempt.number < attempt.of) throw error;
      logger.warn({ err: error, eventKey: payload.eventKey }, 'venue detection failed for good; matching goes on without a venue');
    }
    await this.queues.matchConcert({ ...payload, venueId: venue?.venueId ?? null, venueConfidence: venue?.confidence ?? null });
    return { outcome: venue ? ('found' as const) : ('none' as const), venueId: venue?.venueId ?? null };
  }

  /** BullMQ gave up outside the handler: the event still gets matched, without a venue. */
  async recordAbandoned(payload: DetectVenuePayload) {
    if (await this.progress.isCancelled(payload.scanId)) return;
    await this.queues.matchConcert({ ...payload, venueId: null, venueConfidence: null });
  }
}
