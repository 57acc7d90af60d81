import { Worker } from 'bullmq';
import type { AppConfig } from '../server/config.js';
import type { Logger } from '../server/logger.js';
import { bullPrefix } from '../server/queue/bullmq-options.js';
import { createQueueRedis } from '../server/redis.js';
import type { JobRegistry } from './job-registry.js';
import type { WorkerMetrics } from './metrics.js';

/**
 * Starts one BullMQ worker per configured queue and returns a close() that stops
 * taking jobs, lets the jobs in flight finish, and disconnects.
 */
export function startWorkers(config: AppConfig, registry: JobRegistry, logger: Logger, metrics?: WorkerMetrics) {
  const workers = config.worker.queues.map((queue) => {
    const worker = new Worker(queue, (job) => registry.dispatch(queue, job, logger), {
      connection: createQueueRedis(config.redis),
      prefix: bullPrefix(config),
      concurrency: config.worker.concurrency[queue],
      lockDuration: config.worker.lockDurationMs,
      stalledInterval: config.worker.lockDurationMs,
      maxStalledCount: 3,
    });
    worker.on('failed', (job, error) => {
      logger.warn({ queue, job: job?.name, jobId: job?.id, err: error.message }, 'job failed');
      const final = job && (error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/i.test(error.message));
      if (final) {
        registry.abandon(queue, job, error.message, logger).catch((abandonError: Error) =>
          logger.error({ queue, jobId: job.id, err: abandonError.message }, 'could not record an abandoned job'),
        );
      }
    });
    worker.on('error', (error) => logger.error({ queue, err: error.message }, 'worker error'));
    metrics?.watch(queue, worker);
    logger.info({ queue, concurrency: config.worker.concurrency[queue], jobs: registry.jobsOf(queue) }, 'worker started');
    return worker;
  });

  return {
    workers,
    /** Resolves once every in-flight job has finished, or rejects after the timeout. */
    async close(timeoutMs = config.worker.shutdownTimeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`jobs still running after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([Promise.all(workers.map((w) => w.close())), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * SIGTERM/SIGINT: stop taking jobs, finish the running ones, exit 0. If they do not
 * finish in time we exit 1 without acknowledging them; BullMQ's stalled-job check
 * hands them to another worker, so nothing is lost either way.
 */
export function closeOnSignals(close: () => Promise<void>, logger: Logger) {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'worker shutting down: finishing jobs in flight');
    close().then(
      () => {
        logger.info('worker stopped cleanly');
        process.exit(0);
      },
      (error: Error) => {
        logger.error({ err: error.message }, 'worker shutdown incomplete; unfinished jobs will be retried elsewhere');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
