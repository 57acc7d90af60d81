import type { UserSummary } from '../repositories/user.repository.js';

/** The procedures' view of the session, whatever stores it (express-session over Redis in the app). */
export interface SessionPort {
  readonly user: UserSummary | null;
  /** This session's id, kept when the user ends all their other sessions. */
  readonly id: string;
  /** Logs the user in on a fresh session id (no session fixation). */
  establish(user: UserSummary): Promise<void>;
  destroy(): Promise<void>;
}
