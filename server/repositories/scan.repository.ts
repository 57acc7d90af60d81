import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { scans } from '../../drizzle/schema/index.js';
import type { ScanCounts, ScanStatus } from '../../shared/scan.schema.js';
import type { Database } from '../db/client.js';
import { isDuplicateKey } from './user.repository.js';

export const scanColumns = {
  id: scans.id,
  sourceId: scans.sourceId,
  status: scans.status,
  trigger: scans.trigger,
  listed: scans.listed,
  processed: scans.processed,
  failed: scans.failed,
  duplicates: scans.duplicates,
  matched: scans.matched,
  unchanged: scans.unchanged,
  error: scans.error,
  startedAt: scans.startedAt,
  finishedAt: scans.finishedAt,
  createdAt: scans.createdAt,
} as const;

export type ScanTrigger = (typeof scans.trigger.enumValues)[number];

export class ScanRepository {
  constructor(private readonly db: Database) {}

  /** Null when a scan of this source is already queued or running (the unique key decides). */
  async insertQueued(userId: number, sourceId: number, trigger: ScanTrigger = 'manual'): Promise<number | null> {
    try {
      const [result] = await this.db.insert(scans).values({ userId, sourceId, activeSourceId: sourceId, status: 'queued', trigger });
      return result.insertId;
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  async find(userId: number, scanId: number) {
    const [row] = await this.db.$primary
      .select(scanColumns)
      .from(scans)
      .where(and(eq(scans.userId, userId), eq(scans.id, scanId)))
      .limit(1);
    return row ?? null;
  }

  /** The latest scheduled scan of each of the user's sources: what their schedules last found. */
  latestScheduled(userId: number) {
    const latest = this.db
      .select({ id: sql<number>`MAX(${scans.id})` })
      .from(scans)
      .where(and(eq(scans.userId, userId), eq(scans.trigger, 'scheduled')))
      .groupBy(scans.sourceId);
    return this.db.$primary
      .select(scanColumns)
      .from(scans)
      .where(and(eq(scans.userId, userId), inArray(scans.id, latest)));
  }

  listByUser(userId: number, limit: number) {
    return this.db.select(scanColumns).from(scans).where(eq(scans.userId, userId)).orderBy(desc(scans.id)).limit(limit);
  }

  async markRunning(userId: number, scanId: number): Promise<boolean> {
    const [result] = await this.db
      .update(scans)
      .set({ status: 'running', startedAt: new Date() })
      .where(and(eq(scans.userId, userId), eq(scans.id, scanId), eq(scans.status, 'queued')));
    return result.affectedRows === 1;
  }

  async saveCounts(userId: number, scanId: number, counts: ScanCounts) {
    await this.db
      .update(scans)
      .set(counts)
      .where(and(eq(scans.userId, userId), eq(scans.id, scanId)));
  }

  /** Ends a scan once: only a queued or running scan can end, and the source is free again. */
  async finish(userId: number, scanId: number, status: Exclude<ScanStatus, 'queued' | 'running'>, counts: ScanCounts | null, error?: string) {
    const [result] = await this.db
      .update(scans)
      .set({ status, activeSourceId: null, finishedAt: new Date(), error: error?.slice(0, 1000) ?? null, ...(counts ?? {}) })
      .where(and(eq(scans.userId, userId), eq(scans.id, scanId), eq(scans.activeSourceId, scans.sourceId)));
    return result.affectedRows === 1;
  }
}
