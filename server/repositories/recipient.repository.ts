import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { concerts, users } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import type { MailKind } from './mail-delivery.repository.js';

export type MailPreferences = Record<MailKind, boolean> & { timeZone: string | null };

const preferenceColumns = {
  scan_finished: users.mailScanFinished,
  milestone: users.mailMilestones,
  on_this_day: users.mailOnThisDay,
  timeZone: users.timeZone,
};

/**
 * The zone a user's day is read in: theirs when set, else that of their latest
 * concert with a known zone (one backward step on concerts_user_date_idx), else UTC.
 */
const effectiveTimeZone = sql<string>`COALESCE(${users.timeZone}, (
  SELECT c.time_zone FROM ${concerts} c
  WHERE c.user_id = ${users.id} AND c.time_zone IS NOT NULL
  ORDER BY c.concert_date DESC LIMIT 1
), 'UTC')`;

/** Who gets mail, and which mail they want. */
export class RecipientRepository {
  constructor(private readonly db: Database) {}

  async recipient(userId: number) {
    const [row] = await this.db.$primary
      .select({ id: users.id, email: users.email, name: users.name, ...preferenceColumns, timeZone: effectiveTimeZone })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1);
    return row ?? null;
  }

  async preferences(userId: number): Promise<MailPreferences | null> {
    const [row] = await this.db.$primary.select(preferenceColumns).from(users).where(eq(users.id, userId)).limit(1);
    return row ?? null;
  }

  async updatePreferences(userId: number, patch: Partial<MailPreferences>): Promise<void> {
    const set = {
      ...(patch.scan_finished === undefined ? {} : { mailScanFinished: patch.scan_finished }),
      ...(patch.milestone === undefined ? {} : { mailMilestones: patch.milestone }),
      ...(patch.on_this_day === undefined ? {} : { mailOnThisDay: patch.on_this_day }),
      ...(patch.timeZone === undefined ? {} : { timeZone: patch.timeZone }),
    };
    if (!Object.keys(set).length) return;
    await this.db.update(users).set(set).where(eq(users.id, userId));
  }

  /** Users who want "on this day" mails, by id after `afterId`, with the zone their day is read in. */
  onThisDayPage(afterId: number, limit: number) {
    return this.db
      .select({ id: users.id, timeZone: effectiveTimeZone })
      .from(users)
      .where(and(gt(users.id, afterId), eq(users.mailOnThisDay, true)))
      .orderBy(asc(users.id))
      .limit(limit);
  }
}
