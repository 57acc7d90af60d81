/**
 * Read-your-writes with read replicas. A replica may lag the primary by a moment,
 * so for a few seconds after a user's own write (DATABASE_READ_YOUR_WRITES_MS)
 * that user's requests read from the primary. The mark lives in Redis, so it holds
 * whichever web server the next request reaches.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Redis } from 'ioredis';

const primaryReads = new AsyncLocalStorage<true>();

/** Runs `work` with every read of `db` (not only `db.$primary`) going to the primary. */
export function readingFromPrimary<T>(work: () => T): T {
  return primaryReads.run(true, work);
}

/** drizzle's replica picker: the primary inside `readingFromPrimary`, else a random replica. */
export function replicaPicker<Q>(primary: Q) {
  return (replicas: Q[]): Q => (primaryReads.getStore() ? primary : replicas[Math.floor(Math.random() * replicas.length)]!);
}

export class RecentWriters {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly windowMs: number,
  ) {}

  private key(userId: number) {
    return `${this.keyPrefix}:ryw:${userId}`;
  }

  async wrote(userId: number): Promise<void> {
    await this.redis.set(this.key(userId), '1', 'PX', this.windowMs);
  }

  /** True when unsure too (Redis down): the primary is always right, a replica only usually. */
  async wroteRecently(userId: number): Promise<boolean> {
    try {
      return (await this.redis.exists(this.key(userId))) === 1;
    } catch {
      return true;
    }
  }
}
