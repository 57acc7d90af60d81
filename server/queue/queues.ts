import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import {
  JOB_NAMES, type dedupScanPayload, type detectVenuePayload, type groupEventsPayload, type ingestPhotoPayload, type matchConcertPayload,
  type renderVariantsPayload, type scanSourcePayload,
} from '../../shared/jobs.js';
import type { QueueName } from '../../shared/queues.js';
import type { AppConfig } from '../config.js';
import { bullPrefix } from './bullmq-options.js';
import { jobIds } from './job-ids.js';

/** Transient failures retry with exponential backoff and jitter; permanent ones throw UnrecoverableError. */
function retrying(attempts: number): JobsOptions {
  return {
    attempts,
    backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
    removeOnComplete: { age: 24 * 3600, count: 50_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  };
}

/** The producer side of the queues, used by the web server and by jobs that chain jobs. */
export class JobQueues {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly config: Pick<AppConfig, 'redis' | 'ingest'>,
  ) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: bullPrefix(this.config) });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async scanSource(payload: z.input<typeof scanSourcePayload>) {
    await this.queue('scan').add(JOB_NAMES.scanSource, payload, { ...retrying(3), jobId: jobIds.scanSource(payload.scanId) });
  }

  async ingestPhotos(payloads: Array<z.input<typeof ingestPhotoPayload>>, round = 0) {
    if (!payloads.length) return;
    await this.queue('photo').addBulk(
      payloads.map((data) => ({
        name: JOB_NAMES.ingestPhoto,
        data,
        opts: { ...retrying(this.config.ingest.attempts), jobId: jobIds.ingestPhoto(data.scanId, data.file.fileId, round) },
      })),
    );
  }

  async dedupScan(payload: z.input<typeof dedupScanPayload>) {
    await this.queue('photo').add(JOB_NAMES.dedupScan, payload, { ...retrying(5), jobId: jobIds.dedupScan(payload.scanId) });
  }

  async groupEvents(payload: z.input<typeof groupEventsPayload>) {
    await this.queue('venue').add(JOB_NAMES.groupEvents, payload, { ...retrying(5), jobId: jobIds.groupEvents(payload.scanId) });
  }

  async detectVenues(payloads: Array<z.input<typeof detectVenuePayload>>) {
    if (!payloads.length) return;
    await this.queue('venue').addBulk(
      payloads.map((data) => ({
        name: JOB_NAMES.detectVenue,
        data,
        opts: { ...retrying(5), jobId: jobIds.detectVenue(data.scanId, data.eventKey) },
      })),
    );
  }

  async matchConcert(payload: z.input<typeof matchConcertPayload>) {
    await this.queue('match').add(JOB_NAMES.matchConcert, payload, {
      ...retrying(5),
      jobId: jobIds.matchConcert(payload.scanId, payload.eventKey),
    });
  }

  /** One job per photo at a time: starring twice while it waits adds nothing; a finished one can run again. */
  async renderVariants(payload: z.input<typeof renderVariantsPayload>) {
    await this.queue('image').add(JOB_NAMES.renderVariants, payload, {
      ...retrying(5),
      jobId: jobIds.renderVariants(payload.userId, payload.photoId),
      removeOnComplete: true,
    });
  }

  async close() {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
