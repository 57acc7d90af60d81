import { char, index, mysqlTable, primaryKey, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { idColumn, timestamps } from './columns.js';

/** Artists are shared by every user: facts from setlist.fm / MusicBrainz, nothing private. */
export const artists = mysqlTable(
  'artists',
  {
    id: idColumn(),
    name: varchar('name', { length: 255 }).notNull(),
    sortName: varchar('sort_name', { length: 255 }),
    mbid: char('mbid', { length: 36 }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'artists_pk', columns: [t.id] }),
    uniqueIndex('artists_mbid_uq').on(t.mbid),
    index('artists_name_idx').on(t.name),
  ],
);
