import { randomUUID } from 'node:crypto';
import { Job, Queue, type JobsOptions, type JobType } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOBS, type JobInput, type JobName, type JobSettings } from '../../shared/jobs.js';
import type { QueueName } from '../../shared/queues.js';
import type { AppConfig } from '../config.js';
import { bullPrefix } from './bullmq-options.js';
import { jobIdOf, schedulerIdOf } from './job-ids.js';
import type { JobSchedulers, JobSender } from './job-sender.js';

/** The job table's retry policy in BullMQ's terms: exponential backoff with equal jitter (half fixed, half random). */
export function jobOptions(name: JobName, settings: JobSettings): JobsOptions {
  const { attempts, removeOnComplete } = JOBS[name].retry;
  return {
    attempts: typeof attempts === 'function' ? attempts(settings) : attempts,
    backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
    removeOnComplete: removeOnComplete ? true : { age: 24 * 3600, count: 50_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  };
}

/** Runs one job now, in this process: the rollback switch for a queue that is off (INLINE_QUEUES). */
export type { JobSchedulers, JobSender } from './job-sender.js';

export type InlineJobRunner = (queue: QueueName, job: Job) => Promise<unknown>;

/** The producer side of the queues, used by the web server and by the job layer for what follows a job. */
export class JobQueues implements JobSender, JobSchedulers {
  private readonly queues = new Map<QueueName, Queue>();
  private inline: { queues: ReadonlySet<QueueName>; run: InlineJobRunner } | null = null;
  private readonly settings: JobSettings;

  constructor(
    private readonly connection: Redis,
    private readonly config: Pick<AppConfig, 'redis' | 'ingest'>,
  ) {
    this.settings = { ingestAttempts: config.ingest.attempts };
  }

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

  /** Adds the job (a no-op when a job of that id exists), or runs it right here when its queue is switched to inline. */
  async add<Name extends JobName>(name: Name, payload: JobInput<Name>, { delayMs }: { delayMs?: number } = {}): Promise<void> {
    const queue = JOBS[name].queue;
    const opts: JobsOptions = { ...jobOptions(name, this.settings), jobId: jobIdOf(name, payload), ...(delayMs ? { delay: delayMs } : {}) };
    if (this.inline?.queues.has(queue)) {
      // A Job object that never enters Redis: the handler gets what a worker would give it.
      await this.inline.run(queue, new Job(this.queue(queue), name, payload, { ...opts, attempts: 1 }, `inline-${randomUUID()}`));
      return;
    }
    await this.queue(queue).add(name, payload, opts);
  }

  async addBulk<Name extends JobName>(name: Name, payloads: ReadonlyArray<JobInput<Name>>): Promise<void> {
    if (!payloads.length) return;
    const queue = JOBS[name].queue;
    if (this.inline?.queues.has(queue)) {
      for (const payload of payloads) await this.add(name, payload);
      return;
    }
    const options = jobOptions(name, this.settings);
    await this.queue(queue).addBulk(payloads.map((data) => ({ name, data, opts: { ...options, jobId: jobIdOf(name, data) } })));
  }

  /** Creates or updates a job scheduler; the same pattern upserted twice leaves one scheduler and one next job. */
  async upsertScheduler<Name extends JobName>(name: Name, payload: JobInput<Name>, pattern: string): Promise<void> {
    await this.queue(JOBS[name].queue).upsertJobScheduler(
      schedulerIdOf(name, payload),
      { pattern },
      {
        name,
        data: payload,
        opts: jobOptions(name, this.settings),
      },
    );
  }

  removeScheduler<Name extends JobName>(name: Name, payload: JobInput<Name>): Promise<boolean> {
    return this.queue(JOBS[name].queue).removeJobScheduler(schedulerIdOf(name, payload));
  }

  /** The scheduler, with its pattern and next run, or undefined. */
  scheduler<Name extends JobName>(name: Name, payload: JobInput<Name>) {
    return this.queue(JOBS[name].queue).getJobScheduler(schedulerIdOf(name, payload));
  }

  /** Schedulers of the job's queue, by position (for reconciling them with the database). */
  schedulers(of: JobName, start: number, end: number) {
    return this.queue(JOBS[of].queue).getJobSchedulers(start, end, true);
  }

  /** For operators: how many jobs of a queue are in each state, and whether it is paused. */
  async stateOf(queue: QueueName, states: JobType[]) {
    const [counts, paused] = await Promise.all([this.queue(queue).getJobCounts(...states), this.queue(queue).isPaused()]);
    return { counts, paused };
  }

  async pause(queue: QueueName): Promise<void> {
    await this.queue(queue).pause();
  }

  async resume(queue: QueueName): Promise<void> {
    await this.queue(queue).resume();
  }

  /** Puts a queue's failed jobs back to waiting; returns how many there were. */
  async retryFailed(queue: QueueName): Promise<number> {
    const failed = await this.queue(queue).getJobCountByTypes('failed');
    await this.queue(queue).retryJobs({ state: 'failed' });
    return failed;
  }

  async close() {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
