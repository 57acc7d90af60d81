import type { Logger } from '../server/logger.js';
import type { CoreServices } from '../server/services/core.js';
import { JOBS } from '../shared/jobs.js';
import type { QueueName } from '../shared/queues.js';
import { jobHandlers } from './handlers.js';
import { JobRegistry } from './job-registry.js';
import { createWorkerServices } from './services.js';

/**
 * The "queue off" rollback switch (INLINE_QUEUES): a web server runs these
 * queues' jobs itself, in the request that adds them, through the same handlers
 * and payload validation a worker uses (so it builds a worker's services too).
 * Only for queues of small jobs; a failure fails the request, and nothing retries it.
 */
export function runQueuesInline(core: CoreServices, queues: readonly QueueName[], logger: Logger) {
  if (!queues.length) return;
  const registry = new JobRegistry(JOBS, jobHandlers(createWorkerServices(core)));
  core.queues.runInline(queues, (queue, job) => registry.dispatch(queue, job, logger.child({ inline: true })));
  logger.warn({ queues }, 'these queues run inline in the web server (INLINE_QUEUES): workers do not get their jobs');
}
