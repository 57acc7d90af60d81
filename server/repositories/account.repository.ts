import { and, eq, inArray } from 'drizzle-orm';
import {
  artists,
  concerts,
  duplicateGroups,
  festivalActs,
  festivals,
  historyExports,
  mailDeliveries,
  photos,
  processedFiles,
  scans,
  sources,
  uploads,
  users,
  venueAliases,
  venues,
} from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';

/**
 * Every table that holds rows of one user (a `user_id` column), in the order
 * account deletion empties them: what points at others first. A test compares
 * this list with the schema, so a new user-scoped table cannot be forgotten.
 * Shared artists and venues (user_id null: setlist.fm, OpenStreetMap) stay; the
 * user's own ones go, after the concerts and corrections that point at them.
 */
export const USER_SCOPED_TABLES = {
  photos,
  duplicateGroups,
  processedFiles,
  uploads,
  scans,
  venueAliases,
  festivalActs,
  concerts,
  festivals,
  sources,
  historyExports,
  mailDeliveries,
  artists,
  venues,
} as const;

export type UserScopedTableName = keyof typeof USER_SCOPED_TABLES;

/** Rows deleted per statement: a big library goes in short statements instead of one long lock-holding one. */
const DELETE_BATCH = 5_000;

export class AccountRepository {
  constructor(private readonly db: Database) {}

  /** From the primary: the password was perhaps changed a moment ago. */
  async passwordHashOf(userId: number): Promise<string | null> {
    const [row] = await this.db.$primary.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).limit(1);
    return row?.passwordHash ?? null;
  }

  async activeScanIds(userId: number): Promise<number[]> {
    const rows = await this.db.$primary
      .select({ id: scans.id })
      .from(scans)
      .where(and(eq(scans.userId, userId), inArray(scans.status, ['queued', 'running'])));
    return rows.map((row) => row.id);
  }

  /**
   * Deletes the user's rows in every user-scoped table, in batches. Idempotent: a
   * deletion cut short is finished by running it again (the user row goes last).
   */
  async deleteUserRows(userId: number): Promise<Record<UserScopedTableName, number>> {
    const deleted = {} as Record<UserScopedTableName, number>;
    for (const [name, table] of Object.entries(USER_SCOPED_TABLES) as Array<
      [UserScopedTableName, (typeof USER_SCOPED_TABLES)[UserScopedTableName]]
    >) {
      deleted[name] = 0;
      for (;;) {
        const [result] = await this.db.$primary.delete(table).where(eq(table.userId, userId)).limit(DELETE_BATCH);
        deleted[name] += result.affectedRows;
        if (result.affectedRows < DELETE_BATCH) break;
      }
    }
    return deleted;
  }

  async deleteUser(userId: number): Promise<boolean> {
    const [result] = await this.db.$primary.delete(users).where(eq(users.id, userId));
    return result.affectedRows === 1;
  }
}
