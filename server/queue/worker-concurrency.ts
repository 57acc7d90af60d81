import type { Redis } from 'ioredis';
import type { QueueName } from '../../shared/queues.js';
import type { AppConfig } from '../config.js';

/**
 * The runtime concurrency an operator chose for a queue (admin.setConcurrency).
 * It lives in Redis so that every worker process serving the queue, on any
 * machine, picks it up; no key means "the configured WORKER_CONCURRENCY_*".
 */
export class WorkerConcurrencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly config: Pick<AppConfig, 'redis'>,
  ) {}

  key(queue: QueueName): string {
    return `${this.config.redis.keyPrefix}:worker-concurrency:${queue}`;
  }

  async get(queue: QueueName): Promise<number | null> {
    const value = Number(await this.redis.get(this.key(queue)));
    return Number.isInteger(value) && value >= 1 ? value : null;
  }

  async set(queue: QueueName, concurrency: number): Promise<void> {
    await this.redis.set(this.key(queue), String(concurrency));
  }

  /** For a store that owns its connection (the worker's); never waits on a Redis that is away. */
  disconnect(): void {
    this.redis.disconnect();
  }
}
