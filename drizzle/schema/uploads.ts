import { bigint, char, index, mysqlTable, primaryKey, varchar } from 'drizzle-orm/mysql-core';
import { idColumn, refColumn, timestamps } from './columns.js';

/** A photo uploaded from the browser: the bytes sit in storage under a random key, the name only here. */
export const uploads = mysqlTable(
  'uploads',
  {
    id: idColumn(),
    userId: refColumn('user_id').notNull(),
    sourceId: refColumn('source_id').notNull(),
    storageId: char('storage_id', { length: 36 }).notNull(),
    fileName: varchar('file_name', { length: 255 }).notNull(),
    mimeType: varchar('mime_type', { length: 100 }),
    byteSize: bigint('byte_size', { mode: 'number', unsigned: true }).notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ name: 'uploads_pk', columns: [t.id, t.userId] }), index('uploads_user_source_idx').on(t.userId, t.sourceId, t.id)],
);
