import type { Logger } from '../server/logger.js';
import type { Services } from '../server/services/index.js';
import type { QueueName } from '../shared/queues.js';
import { JobRegistry } from './job-registry.js';
import { jobHandlers } from './jobs/index.js';

/**
 * The "queue off" rollback switch (INLINE_QUEUES): a web server runs these
 * queues' jobs itself, in the request that adds them, through the same handlers
 * and payload validation a worker uses. Only for queues of small jobs; a failure
 * fails the request, and nothing retries it.
 */
export function runQueuesInline(services: Services, queues: readonly QueueName[], logger: Logger) {
  if (!queues.length) return;
  const registry = new JobRegistry(jobHandlers(services));
  services.queues.runInline(queues, (queue, job) => registry.dispatch(queue, job, logger.child({ inline: true })));
  logger.warn({ queues }, 'these queues run inline in the web server (INLINE_QUEUES): workers do not get their jobs');
}
