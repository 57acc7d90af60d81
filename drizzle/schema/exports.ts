import { int, mysqlEnum, mysqlTable, primaryKey, index, varchar, bigint } from 'drizzle-orm/mysql-core';
import { idColumn, instant, refColumn, timestamps } from './columns.js';

/**
 * A history export built in the background (queue `export`): CSV, JSON or the PDF
 * concert book. The file lives in object storage under `storage_key` and is handed
 * out through a signed, expiring media URL.
 */
export const historyExports = mysqlTable(
  'history_exports',
  {
    id: idColumn(),
    userId: refColumn('user_id').notNull(),
    format: mysqlEnum('format', ['csv', 'json', 'pdf']).notNull(),
    status: mysqlEnum('status', ['queued', 'running', 'completed', 'failed']).notNull().default('queued'),
    /** Concerts written so far, of `total`, for the progress bar. */
    done: int('done', { unsigned: true }).notNull().default(0),
    total: int('total', { unsigned: true }),
    storageKey: varchar('storage_key', { length: 255 }),
    byteSize: bigint('byte_size', { mode: 'number', unsigned: true }),
    error: varchar('error', { length: 1000 }),
    completedAt: instant('completed_at'),
    ...timestamps,
  },
  (t) => [primaryKey({ name: 'history_exports_pk', columns: [t.id, t.userId] }), index('history_exports_user_created_idx').on(t.userId, t.createdAt)],
);
