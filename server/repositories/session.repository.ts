import type { Redis } from 'ioredis';
import type { AppConfig } from '../config.js';

/** Where connect-redis keeps a session: this prefix plus the session id. */
export const sessionStorePrefix = (keyPrefix: string) => `${keyPrefix}:sess:`;

/**
 * Which sessions each user has, so that all of them can be ended at once (account
 * deletion, password change) without scanning Redis. One set per user, expiring
 * with the longest session; ids whose session already expired are dropped as they are met.
 */
export class SessionIndex {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly config: Pick<AppConfig, 'redis' | 'session'>,
  ) {
    this.prefix = config.redis.keyPrefix;
  }

  /** The key connect-redis stores a session under. */
  sessionKey(sessionId: string): string {
    return `${sessionStorePrefix(this.prefix)}${sessionId}`;
  }

  private indexKey(userId: number): string {
    return `${this.prefix}:user-sessions:${userId}`;
  }

  async add(userId: number, sessionId: string): Promise<void> {
    await this.redis.multi().sadd(this.indexKey(userId), sessionId).pexpire(this.indexKey(userId), this.config.session.maxAgeMs).exec();
  }

  async remove(userId: number, sessionId: string): Promise<void> {
    await this.redis.srem(this.indexKey(userId), sessionId);
  }

  /** The ids of the user's sessions (some perhaps expired since): `npm start` watches it for the demo account's first login. */
  idsOf(userId: number): Promise<string[]> {
    return this.redis.smembers(this.indexKey(userId));
  }

  /** Ends every session of the user but `keep`; answers how many were ended. */
  async endAll(userId: number, { keep }: { keep?: string } = {}): Promise<number> {
    const ids = (await this.redis.smembers(this.indexKey(userId))).filter((id) => id !== keep);
    if (!ids.length) return 0;
    const [deleted] = (await this.redis
      .multi()
      .del(...ids.map((id) => this.sessionKey(id)))
      .srem(this.indexKey(userId), ...ids)
      .exec()) as [[Error | null, number], unknown];
    return deleted[1];
  }
}
