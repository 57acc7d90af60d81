import { index, mysqlEnum, mysqlTable, primaryKey, varchar } from 'drizzle-orm/mysql-core';
import { instant, refColumn } from './columns.js';

/**
 * Sync state per source file: what a rescan compares against so that an unchanged
 * file costs no per-photo work.
 */
export const processedFiles = mysqlTable(
  'processed_files',
  {
    userId: refColumn('user_id').notNull(),
    sourceId: refColumn('source_id').notNull(),
    fileId: varchar('file_id', { length: 255 }).notNull(),
    /** md5 / size+mtime of the version last processed. */
    fingerprint: varchar('fingerprint', { length: 128 }).notNull(),
    outcome: mysqlEnum('outcome', ['ingested', 'failed']).notNull(),
    photoId: refColumn('photo_id'),
    processedAt: instant('processed_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'processed_files_pk', columns: [t.userId, t.sourceId, t.fileId] }),
    index('processed_files_user_file_idx').on(t.userId, t.fileId),
  ],
);
