/**
 * What services may ask of the queues, free of the queue library: add a job of the
 * table by name (its queue, id and retry policy come from shared/jobs.ts), or keep a
 * job scheduler. `JobQueues` (queues.ts) is the BullMQ implementation.
 */
import type { JobInput, JobName } from '../../shared/jobs.js';

export interface JobSender {
  /** A no-op when a job of the same id exists. */
  add<Name extends JobName>(name: Name, payload: JobInput<Name>, options?: { delayMs?: number }): Promise<void>;
  addBulk<Name extends JobName>(name: Name, payloads: ReadonlyArray<JobInput<Name>>): Promise<void>;
}

export interface ScheduledJob {
  /** The cron pattern. */
  pattern?: string | null;
  /** When its next job runs (epoch ms). */
  next?: number | null;
}

export interface JobSchedulers {
  /** Creates or updates the job's scheduler; the same pattern upserted twice leaves one scheduler and one next job. */
  upsertScheduler<Name extends JobName>(name: Name, payload: JobInput<Name>, pattern: string): Promise<void>;
  removeScheduler<Name extends JobName>(name: Name, payload: JobInput<Name>): Promise<boolean>;
  scheduler<Name extends JobName>(name: Name, payload: JobInput<Name>): Promise<ScheduledJob | undefined>;
  /** The schedulers of a job's queue, by position, with their ids (`key`). */
  schedulers(of: JobName, start: number, end: number): Promise<Array<ScheduledJob & { key: string }>>;
}
