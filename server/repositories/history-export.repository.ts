import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import { historyExports, users } from '../../drizzle/schema/index.js';
import type { HistoryExportFormat } from '../../shared/export.js';
import type { Database } from '../db/client.js';

export const historyExportColumns = {
  id: historyExports.id,
  format: historyExports.format,
  status: historyExports.status,
  done: historyExports.done,
  total: historyExports.total,
  storageKey: historyExports.storageKey,
  byteSize: historyExports.byteSize,
  error: historyExports.error,
  completedAt: historyExports.completedAt,
  createdAt: historyExports.createdAt,
} as const;

export type HistoryExportRecord = NonNullable<Awaited<ReturnType<HistoryExportRepository['find']>>>;

const BUILDING = ['queued', 'running'] as const;

/** The rows of history_exports: one per export a user started, from queued to built (or failed). */
export class HistoryExportRepository {
  constructor(private readonly db: Database) {}

  /**
   * A new queued export, or the one of this format already queued or running
   * (`created: false`). The user's row is locked for the check, so two clicks at
   * once still make one export.
   */
  async insertUnlessBuilding(userId: number, format: HistoryExportFormat): Promise<{ id: number; created: boolean }> {
    return this.db.transaction(async (tx) => {
      await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
      const [building] = await tx
        .select({ id: historyExports.id })
        .from(historyExports)
        .where(and(eq(historyExports.userId, userId), eq(historyExports.format, format), inArray(historyExports.status, BUILDING)))
        .limit(1);
      if (building) return { id: building.id, created: false };
      const [result] = await tx.insert(historyExports).values({ userId, format, status: 'queued' });
      return { id: result.insertId, created: true };
    });
  }

  /** From the primary: the worker moves an export along while its user polls. */
  async find(userId: number, exportId: number) {
    const [row] = await this.db.$primary
      .select(historyExportColumns)
      .from(historyExports)
      .where(and(eq(historyExports.userId, userId), eq(historyExports.id, exportId)))
      .limit(1);
    return row ?? null;
  }

  listRecent(userId: number, limit: number) {
    return this.db.$primary
      .select(historyExportColumns)
      .from(historyExports)
      .where(eq(historyExports.userId, userId))
      .orderBy(desc(historyExports.createdAt), desc(historyExports.id))
      .limit(limit);
  }

  /** Starts (or, on a retry, restarts) a build; false when the export is no longer being built. */
  async markRunning(userId: number, exportId: number, total: number): Promise<boolean> {
    const [result] = await this.db
      .update(historyExports)
      .set({ status: 'running', done: 0, total, error: null })
      .where(and(eq(historyExports.userId, userId), eq(historyExports.id, exportId), inArray(historyExports.status, BUILDING)));
    return result.affectedRows === 1;
  }

  async saveProgress(userId: number, exportId: number, done: number): Promise<void> {
    await this.db
      .update(historyExports)
      .set({ done })
      .where(and(eq(historyExports.userId, userId), eq(historyExports.id, exportId), eq(historyExports.status, 'running')));
  }

  async complete(userId: number, exportId: number, file: { storageKey: string; byteSize: number; done: number }): Promise<boolean> {
    const [result] = await this.db
      .update(historyExports)
      .set({ status: 'completed', ...file, completedAt: new Date(), error: null })
      .where(and(eq(historyExports.userId, userId), eq(historyExports.id, exportId), eq(historyExports.status, 'running')));
    return result.affectedRows === 1;
  }

  /** Records why an export failed for good; a completed export stays completed. */
  async fail(userId: number, exportId: number, message: string): Promise<void> {
    await this.db
      .update(historyExports)
      .set({ status: 'failed', error: message.slice(0, 1000) })
      .where(and(eq(historyExports.userId, userId), eq(historyExports.id, exportId), ne(historyExports.status, 'completed')));
  }

  /** Forgets the file of an export past its retention (the row stays, as history). */
  async forgetFile(userId: number, exportId: number): Promise<void> {
    await this.db
      .update(historyExports)
      .set({ storageKey: null })
      .where(and(eq(historyExports.userId, userId), eq(historyExports.id, exportId)));
  }
}
