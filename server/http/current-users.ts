/**
 * The signed-in user as the database has them now. The session remembers who logged
 * in; their role, and whether the account still exists, are read from the users table
 * on each request, cached in this process for a few seconds: a demoted administrator
 * or a deleted account loses access within CURRENT_USER_TTL_MS on every web server.
 */
import type { UserRepository, UserSummary } from '../repositories/user.repository.js';

export const CURRENT_USER_TTL_MS = 5_000;
/** Users kept at once; the least recently stored go first. */
const MAX_ENTRIES = 10_000;

interface Entry {
  user: Promise<UserSummary | null>;
  expiresAt: number;
}

export class CurrentUsers {
  private readonly entries = new Map<number, Entry>();

  constructor(
    private readonly users: Pick<UserRepository, 'findSummaryById'>,
    private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  /** The user now, or null when the account is gone. Concurrent requests of one user share one read. */
  get(userId: number): Promise<UserSummary | null> {
    const now = this.now();
    const entry = this.entries.get(userId);
    if (entry && entry.expiresAt > now) return entry.user;
    const user = this.users.findSummaryById(userId);
    this.store(userId, user, now);
    // A failed read is not remembered: the next request asks again.
    user.catch(() => {
      if (this.entries.get(userId)?.user === user) this.entries.delete(userId);
    });
    return user;
  }

  /** The user as just read at login or sign-up, so this server does not serve an older cached state. */
  remember(user: UserSummary): void {
    this.store(user.id, Promise.resolve(user), this.now());
  }

  private store(userId: number, user: Promise<UserSummary | null>, now: number) {
    this.entries.delete(userId);
    this.entries.set(userId, { user, expiresAt: now + (this.options.ttlMs ?? CURRENT_USER_TTL_MS) });
    const max = this.options.maxEntries ?? MAX_ENTRIES;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= max) break;
      this.entries.delete(oldest);
    }
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }
}
