import { and, asc, eq, gt, ne, sql } from 'drizzle-orm';
import { sources } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import { isDuplicateKey } from './user.repository.js';

/** What the app may show of a source: never the encrypted token. */
export const sourceColumns = {
  id: sources.id,
  kind: sources.kind,
  label: sources.label,
  localPath: sources.localPath,
  googleAccountEmail: sources.googleAccountEmail,
  rescanSchedule: sources.rescanSchedule,
  lastScanAt: sources.lastScanAt,
  disconnectedAt: sources.disconnectedAt,
  createdAt: sources.createdAt,
} as const;

export type SourceRow = typeof sources.$inferSelect;
export type NewSource = Omit<typeof sources.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export class SourceRepository {
  constructor(private readonly db: Database) {}

  listByUser(userId: number) {
    return this.db.select(sourceColumns).from(sources).where(eq(sources.userId, userId)).orderBy(asc(sources.id));
  }

  /** The libraries with how many of their photos are in the history (read, not failed): what a card and a rescan's summary say. */
  listWithPhotoCounts(userId: number) {
    return this.db
      .select({
        ...sourceColumns,
        // Spelled out: drizzle writes a column without its table here, which the subquery would read as its own.
        photoCount:
          sql<number>`(SELECT COUNT(*) FROM photos AS p WHERE p.user_id = sources.user_id AND p.source_id = sources.id AND p.status = 'ready')`.mapWith(
            Number,
          ),
      })
      .from(sources)
      .where(eq(sources.userId, userId))
      .orderBy(asc(sources.id));
  }

  /** The full row, for the worker: it needs the path or the token to open the source. */
  async findForWorker(userId: number, sourceId: number): Promise<SourceRow | null> {
    const [row] = await this.db.$primary
      .select()
      .from(sources)
      .where(and(eq(sources.userId, userId), eq(sources.id, sourceId)))
      .limit(1);
    return row ?? null;
  }

  /** Null when the user already has a library at this location (the unique (user_id, location_key) index said so). */
  async insertUnique(source: NewSource & { locationKey: string }): Promise<number | null> {
    try {
      const [result] = await this.db.insert(sources).values(source);
      return result.insertId;
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  /** The user's library at this location, from the primary (it may have been added a moment ago). */
  async findByLocation(userId: number, locationKey: string) {
    const [row] = await this.db.$primary
      .select({ id: sources.id, label: sources.label, disconnectedAt: sources.disconnectedAt })
      .from(sources)
      .where(and(eq(sources.userId, userId), eq(sources.locationKey, locationKey)))
      .limit(1);
    return row ?? null;
  }

  /** A reconnected Google account: its fresh grant replaces the stored one (which may have been revoked). */
  async replaceDriveGrant(userId: number, sourceId: number, grant: { googleAccountEmail: string; encryptedRefreshToken: string }) {
    await this.db
      .update(sources)
      .set({ ...grant, disconnectedAt: null })
      .where(and(eq(sources.userId, userId), eq(sources.id, sourceId), eq(sources.kind, 'gdrive')));
  }

  /**
   * Disconnected, history kept: never scanned again (no schedule, no Drive grant, no changes-feed position, so
   * a reconnection lists the whole library again and skips what it already has by fingerprint).
   */
  async markDisconnected(userId: number, sourceId: number): Promise<void> {
    await this.db
      .update(sources)
      .set({ disconnectedAt: new Date(), rescanSchedule: 'off', encryptedRefreshToken: null, changesPageToken: null })
      .where(and(eq(sources.userId, userId), eq(sources.id, sourceId)));
  }

  /** The same place added again: the disconnected library is back, with its history. */
  async reconnect(userId: number, sourceId: number): Promise<void> {
    await this.db
      .update(sources)
      .set({ disconnectedAt: null })
      .where(and(eq(sources.userId, userId), eq(sources.id, sourceId)));
  }

  async delete(userId: number, sourceId: number): Promise<void> {
    await this.db.$primary.delete(sources).where(and(eq(sources.userId, userId), eq(sources.id, sourceId)));
  }

  /** False when the user has no such source. */
  async setSchedule(userId: number, sourceId: number, rescanSchedule: SourceRow['rescanSchedule']): Promise<boolean> {
    const [result] = await this.db
      .update(sources)
      .set({ rescanSchedule })
      .where(and(eq(sources.userId, userId), eq(sources.id, sourceId)));
    return result.affectedRows === 1;
  }

  async scheduleOf(userId: number, sourceId: number): Promise<SourceRow['rescanSchedule'] | null> {
    const [row] = await this.db.$primary
      .select({ rescanSchedule: sources.rescanSchedule })
      .from(sources)
      .where(and(eq(sources.userId, userId), eq(sources.id, sourceId)))
      .limit(1);
    return row?.rescanSchedule ?? null;
  }

  /** Sources with a rescan schedule, by id after `afterId`: what the job schedulers in Redis must match. */
  scheduledPage(afterId: number, limit: number) {
    return this.db.$primary
      .select({ id: sources.id, userId: sources.userId, rescanSchedule: sources.rescanSchedule })
      .from(sources)
      .where(and(gt(sources.id, afterId), ne(sources.rescanSchedule, 'off')))
      .orderBy(asc(sources.id))
      .limit(limit);
  }

  async recordScan(userId: number, sourceId: number, changes: { lastScanAt: Date; changesPageToken?: string | null }) {
    await this.db
      .update(sources)
      .set(changes)
      .where(and(eq(sources.userId, userId), eq(sources.id, sourceId)));
  }
}
