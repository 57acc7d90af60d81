import { randomUUID } from 'node:crypto';
import { Job, Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { z } from 'zod';
import {
  JOB_NAMES, type dedupScanPayload, type detectVenuePayload, type groupEventsPayload, type ingestPhotoPayload, type matchConcertPayload,
  type renderVariantsPayload, type scanSourcePayload,
} from '../../shared/jobs.js';
import type { buildExportPayload, expireExportPayload } from '../../shared/jobs.js';
import type { rescanSourcePayload, scanFinishedMailPayload, sendMailPayload } from '../../shared/jobs.js';
import { mailIdempotencyKey } from '../mail/mail-events.js';
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

/** Runs one job now, in this process: the rollback switch for a queue that is off (INLINE_QUEUES). */
export type InlineJobRunner = (queue: QueueName, job: Job) => Promise<unknown>;

/** The producer side of the queues, used by the web server and by jobs that chain jobs. */
export class JobQueues {
  private readonly queues = new Map<QueueName, Queue>();
  private inline: { queues: ReadonlySet<QueueName>; run: InlineJobRunner } | null = null;

  constructor(
    private readonly connection: Redis,
    private readonly config: Pick<AppConfig, 'redis' | 'ingest'>,
  ) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: bullPrefix(this.config) });
      // Without a listener BullMQ console.errors every reconnect attempt while Redis is down; the connection's
      // own 'error' listener (web and worker runtimes) already logs them, structured.
      queue.on('error', () => {});
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** From now on, jobs of these queues run in the caller (see INLINE_QUEUES), not in a worker. */
  runInline(queues: Iterable<QueueName>, run: InlineJobRunner) {
    this.inline = { queues: new Set(queues), run };
  }

  /** Adds the job, or runs it right here when its queue is switched to inline. */
  private async add(queue: QueueName, name: string, data: unknown, opts: JobsOptions): Promise<void> {
    if (this.inline?.queues.has(queue)) {
      // A Job object that never enters Redis: the handler gets what a worker would give it.
      await this.inline.run(queue, new Job(this.queue(queue), name, data, { ...opts, attempts: 1 }, `inline-${randomUUID()}`));
      return;
    }
    await this.queue(queue).add(name, data, opts);
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
    await this.add('image', JOB_NAMES.renderVariants, payload, {
      ...retrying(5),
      jobId: jobIds.renderVariants(payload.userId, payload.photoId),
      removeOnComplete: true,
    });
  }

  /** One build per export row; three attempts, the last one records the failure for the user. */
  async buildExport(payload: z.input<typeof buildExportPayload>) {
    await this.queue('export').add(JOB_NAMES.buildExport, payload, { ...retrying(3), jobId: jobIds.buildExport(payload.exportId) });
  }

  /** Deletes a finished export's file once its retention (`delayMs`) has passed; kept in Redis as a delayed job. */
  async expireExport(payload: z.input<typeof expireExportPayload>, delayMs: number) {
    await this.queue('export').add(JOB_NAMES.expireExport, payload, {
      ...retrying(5),
      jobId: jobIds.expireExport(payload.exportId),
      delay: delayMs,
      removeOnComplete: true,
    });
  }

  /** After a completed scan: which mails it earns is decided in the mail workers. */
  async scanFinishedMail(payload: z.input<typeof scanFinishedMailPayload>) {
    await this.queue('mail').add(JOB_NAMES.scanFinishedMail, payload, { ...retrying(5), jobId: jobIds.scanFinishedMail(payload.scanId) });
  }

  /**
   * One job per mail event. Eight attempts back off over about eight minutes: longer
   * than the mail ledger's lease, so a job that waits on a crashed sender's claim outlives it.
   */
  async sendMails(payloads: Array<z.input<typeof sendMailPayload>>) {
    if (!payloads.length) return;
    await this.queue('mail').addBulk(
      payloads.map((data) => ({
        name: JOB_NAMES.sendMail,
        data,
        opts: { ...retrying(8), jobId: jobIds.sendMail(data.userId, mailIdempotencyKey(data)) },
      })),
    );
  }

  /** Creates or updates a source's rescan scheduler; the same pattern upserted twice leaves one scheduler and one next job. */
  async upsertRescanScheduler(payload: z.input<typeof rescanSourcePayload>, pattern: string) {
    await this.queue('schedule').upsertJobScheduler(
      jobIds.rescanScheduler(payload.userId, payload.sourceId),
      { pattern },
      { name: JOB_NAMES.rescanSource, data: payload, opts: retrying(3) },
    );
  }

  removeRescanScheduler(userId: number, sourceId: number): Promise<boolean> {
    return this.queue('schedule').removeJobScheduler(jobIds.rescanScheduler(userId, sourceId));
  }

  rescanScheduler(userId: number, sourceId: number) {
    return this.queue('schedule').getJobScheduler(jobIds.rescanScheduler(userId, sourceId));
  }

  /** Schedulers of the `schedule` queue, by position (for reconciling them with the database). */
  schedulers(start: number, end: number) {
    return this.queue('schedule').getJobSchedulers(start, end, true);
  }

  async upsertOnThisDaySweep(pattern: string) {
    await this.queue('schedule').upsertJobScheduler(
      jobIds.onThisDaySweepScheduler(),
      { pattern },
      { name: JOB_NAMES.onThisDaySweep, data: {}, opts: retrying(3) },
    );
  }

  async close() {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
