import { and, eq, like, lt, sql } from 'drizzle-orm';
import { type MAIL_KINDS, mailDeliveries } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import { isDuplicateKey } from './user.repository.js';

export type MailKind = (typeof MAIL_KINDS)[number];

/** What claiming an event's mail found. */
export type MailClaim =
  | { outcome: 'claimed'; deliveryId: number }
  | { outcome: 'sent' }
  /** Another job holds a fresh claim: it is sending now, or crashed less than a lease ago. */
  | { outcome: 'busy' };

/**
 * The mail ledger: one row per (user, idempotency key). The unique key makes the
 * insert the lock, so two workers handed one event cannot both send it.
 */
export class MailDeliveryRepository {
  constructor(private readonly db: Database) {}

  /**
   * Claims the right to send one event's mail. A 'sending' row older than the
   * lease belongs to a job that crashed before it finished: it is taken over with
   * a conditional update, which again only one worker can win.
   */
  async claim(userId: number, kind: MailKind, idempotencyKey: string, leaseMs: number): Promise<MailClaim> {
    try {
      const [result] = await this.db.$primary.insert(mailDeliveries).values({ userId, kind, idempotencyKey, status: 'sending' });
      return { outcome: 'claimed', deliveryId: result.insertId };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const [row] = await this.db.$primary
      .select({ id: mailDeliveries.id, status: mailDeliveries.status })
      .from(mailDeliveries)
      .where(and(eq(mailDeliveries.userId, userId), eq(mailDeliveries.idempotencyKey, idempotencyKey)))
      .limit(1);
    if (!row) return { outcome: 'busy' }; // deleted between the two statements (account deletion): try again later
    if (row.status === 'sent') return { outcome: 'sent' };
    const [taken] = await this.db.$primary
      .update(mailDeliveries)
      .set({ updatedAt: new Date() })
      .where(
        and(
          eq(mailDeliveries.userId, userId),
          eq(mailDeliveries.id, row.id),
          eq(mailDeliveries.status, 'sending'),
          lt(mailDeliveries.updatedAt, sql`NOW(3) - INTERVAL ${Math.ceil(leaseMs / 1000)} SECOND`),
        ),
      );
    return taken.affectedRows === 1 ? { outcome: 'claimed', deliveryId: row.id } : { outcome: 'busy' };
  }

  async markSent(userId: number, deliveryId: number, messageId: string | null): Promise<void> {
    await this.db.$primary
      .update(mailDeliveries)
      .set({ status: 'sent', messageId: messageId?.slice(0, 255) ?? null, sentAt: new Date() })
      .where(and(eq(mailDeliveries.userId, userId), eq(mailDeliveries.id, deliveryId)));
  }

  /** Nothing was sent (the user turned the kind off meanwhile, or the facts are gone): the event may be mailed later. */
  async release(userId: number, deliveryId: number): Promise<void> {
    await this.db.$primary
      .delete(mailDeliveries)
      .where(and(eq(mailDeliveries.userId, userId), eq(mailDeliveries.id, deliveryId), eq(mailDeliveries.status, 'sending')));
  }

  async exists(userId: number, idempotencyKey: string): Promise<boolean> {
    const [row] = await this.db.$primary
      .select({ id: mailDeliveries.id })
      .from(mailDeliveries)
      .where(and(eq(mailDeliveries.userId, userId), eq(mailDeliveries.idempotencyKey, idempotencyKey)))
      .limit(1);
    return Boolean(row);
  }

  /** The idempotency keys of the user's milestone mails (a handful per user, ever). */
  async milestoneKeys(userId: number): Promise<string[]> {
    const rows = await this.db.$primary
      .select({ key: mailDeliveries.idempotencyKey })
      .from(mailDeliveries)
      .where(and(eq(mailDeliveries.userId, userId), eq(mailDeliveries.kind, 'milestone'), like(mailDeliveries.idempotencyKey, 'milestone:%')));
    return rows.map((row) => row.key);
  }
}
