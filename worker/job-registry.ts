/**
 * The typed registry of job handlers. Each handler names its queue, job name and
 * zod payload schema; the registry refuses two handlers for one job, and a job
 * whose payload does not parse fails at once (UnrecoverableError), never retried.
 */
import { UnrecoverableError, type Job } from 'bullmq';
import type { z } from 'zod';
import type { Logger } from '../server/logger.js';
import type { QueueName } from '../shared/queues.js';

export interface JobContext {
  job: Job;
  logger: Logger;
  /** This run's attempt, of how many BullMQ will make: a handler gives up cleanly on the last. */
  attempt: { number: number; of: number };
}

export interface JobHandler<Schema extends z.ZodType = z.ZodType> {
  queue: QueueName;
  name: string;
  payload: Schema;
  handle(payload: z.infer<Schema>, context: JobContext): Promise<unknown>;
  /**
   * Runs when BullMQ gives up on a job without the handler having settled it (for
   * instance a job that stalled in crashed workers too often), so the work it
   * stood for is still accounted for.
   */
  onAbandoned?(payload: z.infer<Schema>, reason: string, context: JobContext): Promise<void>;
}

export function defineJob<Schema extends z.ZodType>(handler: JobHandler<Schema>): JobHandler<Schema> {
  return handler;
}

export class JobRegistry {
  private readonly byKey = new Map<string, JobHandler>();

  constructor(handlers: readonly JobHandler[]) {
    for (const handler of handlers) {
      const key = `${handler.queue}/${handler.name}`;
      if (this.byKey.has(key)) throw new Error(`Two handlers are registered for job "${key}"`);
      this.byKey.set(key, handler);
    }
  }

  jobsOf(queue: QueueName): string[] {
    return [...this.byKey.values()].filter((h) => h.queue === queue).map((h) => h.name);
  }

  /** For a job that failed for good: lets its handler record the outcome if it has not. */
  async abandon(queue: QueueName, job: Job, reason: string, logger: Logger): Promise<void> {
    const handler = this.byKey.get(`${queue}/${job.name}`);
    const parsed = handler?.payload.safeParse(job.data);
    if (!handler?.onAbandoned || !parsed?.success) return;
    await handler.onAbandoned(parsed.data, reason, {
      job,
      logger: logger.child({ queue, job: job.name, jobId: job.id }),
      attempt: attemptOf(job),
    });
  }

  async dispatch(queue: QueueName, job: Job, logger: Logger): Promise<unknown> {
    const handler = this.byKey.get(`${queue}/${job.name}`);
    if (!handler) throw new UnrecoverableError(`No handler for job "${job.name}" on queue "${queue}"`);
    const parsed = handler.payload.safeParse(job.data);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
      throw new UnrecoverableError(`Invalid payload for job "${job.name}": ${problems}`);
    }
    const requestId = (job.data as { requestId?: unknown })?.requestId;
    const jobLogger = logger.child({ queue, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1, requestId });
    return handler.handle(parsed.data, { job, logger: jobLogger, attempt: attemptOf(job) });
  }
}

function attemptOf(job: Job) {
  return { number: job.attemptsMade + 1, of: job.opts.attempts ?? 1 };
}
