import { QUEUE_NAMES, type QueueName } from '../../shared/queues.js';
import type { JobQueues } from '../queue/queues.js';
import type { WorkerConcurrencyStore } from '../queue/worker-concurrency.js';

/** What operators do to the queues: look, pause, resume, retry the failed jobs, change worker concurrency. */
export class QueueAdminService {
  constructor(
    private readonly queues: Pick<JobQueues, 'stateOf' | 'pause' | 'resume' | 'retryFailed'>,
    private readonly concurrency: WorkerConcurrencyStore,
  ) {}

  async list() {
    return Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const [{ counts, paused }, concurrency] = await Promise.all([
          this.queues.stateOf(name, ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children']),
          this.concurrency.get(name),
        ]);
        return { name, paused, counts, concurrencyOverride: concurrency };
      }),
    );
  }

  async pause(name: QueueName) {
    await this.queues.pause(name);
    return { queue: name, paused: true };
  }

  async resume(name: QueueName) {
    await this.queues.resume(name);
    return { queue: name, paused: false };
  }

  async retryFailed(name: QueueName) {
    return { queue: name, retried: await this.queues.retryFailed(name) };
  }

  /** Every worker process serving the queue applies it within a few seconds (worker/runtime.ts polls the key). */
  async setConcurrency(name: QueueName, concurrency: number) {
    await this.concurrency.set(name, concurrency);
    return { queue: name, concurrency };
  }
}
