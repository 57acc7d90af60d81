import { Worker } from 'bullmq';
import type { AppConfig } from '../server/config.js';
import type { Logger } from '../server/logger.js';
import { bullPrefix } from '../server/queue/bullmq-options.js';
import { captureError } from '../server/observability/sentry.js';
import { createQueueRedis } from '../server/redis.js';
import { WorkerConcurrencyStore } from '../server/queue/worker-concurrency.js';
import type { QueueName } from '../shared/queues.js';
import type { JobTable } from '../shared/jobs.js';
import type { JobRegistry } from './job-registry.js';
import type { WorkerMetrics } from './metrics.js';

/**
 * Starts one BullMQ worker per configured queue and returns a close() that stops
 * taking jobs, lets the jobs in flight finish, and disconnects.
 */
export function startWorkers(config: AppConfig, registry: JobRegistry<JobTable>, logger: Logger, metrics?: WorkerMetrics) {
  const workers = config.worker.queues.map((queue) => {
    const worker = new Worker(queue, (job, token) => registry.dispatch(queue, job, logger, token), {
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
        const requestId = (job.data as { requestId?: unknown })?.requestId;
        captureError(error, {
          requestId: typeof requestId === 'string' ? requestId : undefined,
          tags: { queue, job: job.name, jobId: job.id, attempts: job.attemptsMade },
        });
        registry
          .abandon(queue, job, error.message, logger)
          .catch((abandonError: Error) => logger.error({ queue, jobId: job.id, err: abandonError.message }, 'could not record an abandoned job'));
      }
    });
    worker.on('error', (error) => logger.error({ queue, err: error.message }, 'worker error'));
    metrics?.watch(queue, worker);
    logger.info({ queue, concurrency: config.worker.concurrency[queue], jobs: registry.jobsOf(queue) }, 'worker started');
    return worker;
  });
  const stopFollowing = followConcurrency(
    config.worker.queues.map((queue, i) => ({ queue, worker: workers[i]! })),
    new WorkerConcurrencyStore(createQueueRedis(config.redis), config),
    logger,
  );

  return {
    workers,
    /** Resolves once every in-flight job has finished, or rejects after the timeout. */
    async close(timeoutMs = config.worker.shutdownTimeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`jobs still running after ${timeoutMs} ms`)), timeoutMs);
      });
      stopFollowing();
      try {
        await Promise.race([Promise.all(workers.map((w) => w.close())), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export const CONCURRENCY_POLL_MS = 2_000;

/**
 * Applies the concurrency an operator set at runtime (admin.setConcurrency) to this
 * process's workers, now and every few seconds. Polling rather than pub/sub: a worker
 * started later, or one that missed a message while Redis was away, still converges.
 */
function followConcurrency(targets: Array<{ queue: QueueName; worker: Worker }>, store: WorkerConcurrencyStore, logger: Logger) {
  let polling = false;
  const poll = async () => {
    if (polling) return; // a slow Redis must not pile up polls
    polling = true;
    try {
      for (const { queue, worker } of targets) {
        const wanted = await store.get(queue);
        if (wanted === null || wanted === worker.concurrency) continue;
        const previous = worker.concurrency;
        worker.concurrency = wanted;
        logger.info({ queue, from: previous, to: wanted }, 'concurrency changed');
      }
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'could not read the runtime worker concurrency');
    } finally {
      polling = false;
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), CONCURRENCY_POLL_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    store.disconnect();
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
