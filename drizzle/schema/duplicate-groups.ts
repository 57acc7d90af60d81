import { index, mysqlEnum, mysqlTable, primaryKey } from 'drizzle-orm/mysql-core';
import { idColumn, instant, refColumn, timestamps } from './columns.js';

/** Photos found to be copies of each other (or frames of one burst); nothing is deleted without the user. */
export const duplicateGroups = mysqlTable(
  'duplicate_groups',
  {
    id: idColumn(),
    userId: refColumn('user_id').notNull(),
    kind: mysqlEnum('kind', ['exact', 'near', 'burst']).notNull(),
    primaryPhotoId: refColumn('primary_photo_id'),
    resolvedAt: instant('resolved_at'),
    ...timestamps,
  },
  (t) => [primaryKey({ name: 'duplicate_groups_pk', columns: [t.id, t.userId] }), index('duplicate_groups_user_open_idx').on(t.userId, t.resolvedAt)],
);
