import { index, int, mysqlEnum, mysqlTable, primaryKey, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { SCAN_STATUSES } from '../../shared/scan.schema.js';
import { idColumn, instant, refColumn, timestamps } from './columns.js';

const counter = (name: string) => int(name, { unsigned: true }).notNull().default(0);

export const scans = mysqlTable(
  'scans',
  {
    id: idColumn(),
    userId: refColumn('user_id').notNull(),
    sourceId: refColumn('source_id').notNull(),
    status: mysqlEnum('status', SCAN_STATUSES).notNull().default('queued'),
    /** Started by the user, or by the source's rescan schedule. */
    trigger: mysqlEnum('trigger', ['manual', 'scheduled']).notNull().default('manual'),
    /**
     * Equals source_id while the scan is queued or running and NULL afterwards; the
     * unique key below then allows one active scan per source (NULLs never collide).
     */
    activeSourceId: refColumn('active_source_id'),
    listed: counter('listed'),
    processed: counter('processed'),
    failed: counter('failed'),
    duplicates: counter('duplicates'),
    matched: counter('matched'),
    /** Files the listing found unchanged since they were last read (same fingerprint), so skipped without any work. */
    unchanged: counter('unchanged'),
    error: varchar('error', { length: 1000 }),
    startedAt: instant('started_at'),
    finishedAt: instant('finished_at'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'scans_pk', columns: [t.id, t.userId] }),
    index('scans_user_created_idx').on(t.userId, t.createdAt),
    uniqueIndex('scans_one_active_per_source_uq').on(t.userId, t.activeSourceId),
  ],
);
