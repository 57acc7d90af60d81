/**
 * The job layer: runs a job's handler and maps what it returns to BullMQ, so that
 * services never see the queue library. The registry is built from a job table
 * (shared/jobs.ts) and one handler per job: it refuses to start when a job has no
 * handler or two, and a job whose payload does not parse fails at once, never retried.
 *
 * | the handler…                          | the job…                                                       |
 * | ------------------------------------- | -------------------------------------------------------------- |
 * | returns `done(value)`                 | completes with `value`                                         |
 * | returns `skipped(reason)`             | completes with `{ skipped: reason }`                           |
 * | returns `retry(reason, at)`           | waits until `at` without using up an attempt                   |
 * | returns `retry(reason)`, or throws    | is retried with backoff; on its last attempt it has failed     |
 * | returns `failed(reason)`, or has failed | runs `onFailed` (then completes with `{ failed: reason }`), or, without one, fails for good (UnrecoverableError) |
 *
 * A job BullMQ gives up on outside the handler (it stalled in crashed workers too
 * often) is handed to `onFailed` as well, so the work it stood for is accounted for.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { z } from 'zod';
import type { JobTable } from '../shared/jobs.js';
import type { QueueName } from '../shared/queues.js';
import type { Logger } from '../server/logger.js';
import type { Outcome } from '../server/outcome.js';

export interface JobContext {
  logger: Logger;
  /** This run's attempt, of how many BullMQ will make. */
  attempt: { number: number; of: number };
}

/** Why a job failed for good; `reason` is written for a person. */
export interface Failure {
  reason: string;
  /** The work refused itself (`failed`), every attempt failed, or the job was interrupted (stalled) too often. */
  cause: 'refused' | 'attempts' | 'interrupted';
}

export interface JobHandler<Payload = unknown> {
  run(payload: Payload, context: JobContext): Promise<Outcome>;
  /** The job failed for good: settle what it stood for (record the failure, hand the work on without it). */
  onFailed?(payload: Payload, failure: Failure, context: JobContext): Promise<unknown>;
}

/** One handler per job of the table, typed by the job's payload: a missing or misnamed job does not compile. */
export type JobHandlers<Table extends JobTable> = { [Name in keyof Table]: JobHandler<z.output<Table[Name]['payload']>> };

/** Handlers of some jobs of the table (a group of them: the scan pipeline, mail, exports). */
export type SomeJobHandlers<Table extends JobTable> = Partial<JobHandlers<Table>>;

/** Joins groups of handlers into one, refusing a job handled in two groups. */
export function combineHandlers<Table extends JobTable>(...groups: Array<SomeJobHandlers<Table>>): SomeJobHandlers<Table> {
  const all: Record<string, JobHandler<never>> = {};
  for (const group of groups) {
    for (const [name, handler] of Object.entries(group)) {
      if (name in all) throw new Error(`Two handlers are registered for job "${name}"`);
      all[name] = handler as JobHandler<never>;
    }
  }
  return all as SomeJobHandlers<Table>;
}

export class JobRegistry<Table extends JobTable> {
  constructor(
    private readonly table: Table,
    private readonly handlers: JobHandlers<Table>,
  ) {
    for (const name of Object.keys(table)) {
      if (!Object.hasOwn(handlers, name)) throw new Error(`No handler is registered for job "${name}"`);
    }
    for (const name of Object.keys(handlers)) {
      if (!Object.hasOwn(table, name)) throw new Error(`A handler is registered for job "${name}", which is not in the job table`);
    }
  }

  jobsOf(queue: QueueName): string[] {
    return Object.keys(this.table).filter((name) => this.table[name]!.queue === queue);
  }

  /** The job's handler and parsed payload; throws UnrecoverableError when there is none or it does not parse. */
  private resolve(queue: QueueName, job: Job) {
    const definition = Object.hasOwn(this.table, job.name) ? this.table[job.name] : undefined;
    if (!definition || definition.queue !== queue) throw new UnrecoverableError(`No handler for job "${job.name}" on queue "${queue}"`);
    const parsed = definition.payload.safeParse(job.data);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
      throw new UnrecoverableError(`Invalid payload for job "${job.name}": ${problems}`);
    }
    return { handler: this.handlers[job.name as keyof Table] as JobHandler<unknown>, payload: parsed.data };
  }

  async dispatch(queue: QueueName, job: Job, logger: Logger, token?: string): Promise<unknown> {
    const { handler, payload } = this.resolve(queue, job);
    const requestId = (job.data as { requestId?: unknown })?.requestId;
    const context: JobContext = {
      logger: logger.child({ queue, job: job.name, jobId: job.id, attempt: job.attemptsMade + 1, requestId }),
      attempt: attemptOf(job),
    };
    const last = context.attempt.number >= context.attempt.of;
    let outcome: Outcome;
    try {
      outcome = await handler.run(payload, context);
    } catch (error) {
      if (!last || !handler.onFailed) throw error;
      outcome = { status: 'failed', reason: gaveUp((error as Error).message, context.attempt.of) };
      return this.settleFailure(handler, payload, { reason: outcome.reason, cause: 'attempts' }, context);
    }
    switch (outcome.status) {
      case 'done':
        return outcome.value;
      case 'skipped':
        context.logger.info({ reason: outcome.reason }, 'job skipped');
        return { skipped: outcome.reason };
      case 'failed':
        if (!handler.onFailed) throw new UnrecoverableError(outcome.reason);
        return this.settleFailure(handler, payload, { reason: outcome.reason, cause: 'refused' }, context);
      case 'retry':
        if (outcome.at && token && !job.id?.startsWith('inline-')) {
          context.logger.info({ reason: outcome.reason, at: outcome.at.toISOString() }, 'job waits');
          await job.moveToDelayed(outcome.at.getTime(), token);
          throw new DelayedError(outcome.reason);
        }
        if (last && handler.onFailed) {
          return this.settleFailure(handler, payload, { reason: gaveUp(outcome.reason, context.attempt.of), cause: 'attempts' }, context);
        }
        throw new Error(outcome.reason);
    }
  }

  private async settleFailure(handler: JobHandler<unknown>, payload: unknown, failure: Failure, context: JobContext) {
    context.logger.info({ reason: failure.reason, cause: failure.cause }, 'job failed for good; settling it');
    await handler.onFailed!(payload, failure, context);
    return { failed: failure.reason };
  }

  /**
   * For a job BullMQ failed for good without its handler having settled it (it stalled in
   * crashed workers too often, or settling it failed too): lets the handler settle it now.
   */
  async abandon(queue: QueueName, job: Job, reason: string, logger: Logger): Promise<void> {
    let resolved;
    try {
      resolved = this.resolve(queue, job);
    } catch {
      return; // no handler or no valid payload: nothing to settle
    }
    if (!resolved.handler.onFailed) return;
    const context: JobContext = { logger: logger.child({ queue, job: job.name, jobId: job.id }), attempt: attemptOf(job) };
    const interrupted = /stalled/i.test(reason);
    await resolved.handler.onFailed(
      resolved.payload,
      interrupted ? { reason: `Processing was interrupted too often (${reason})`, cause: 'interrupted' } : { reason, cause: 'attempts' },
      context,
    );
  }
}

function gaveUp(reason: string, attempts: number): string {
  return attempts > 1 ? `${reason} (gave up after ${attempts} attempts)` : reason;
}

function attemptOf(job: Job) {
  return { number: job.attemptsMade + 1, of: job.opts.attempts ?? 1 };
}
