import { sql } from 'drizzle-orm';
import { char, check, index, mysqlEnum, mysqlTable, primaryKey, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { idColumn, refColumn, timestamps } from './columns.js';

/** Where an artist row came from: setlist.fm (MusicBrainz ids, shared by everyone) or a user's own typing. */
export const ARTIST_SOURCES = ['setlistfm', 'user'] as const;

/**
 * The artist catalogue. setlist.fm's artists are shared by every user; a name a
 * user typed that setlist.fm does not confirm is that user's alone (`user_id`),
 * seen only by them and deleted with their account: one user's free text never
 * reaches another user's search, matching or history.
 */
export const artists = mysqlTable(
  'artists',
  {
    id: idColumn(),
    name: varchar('name', { length: 255 }).notNull(),
    sortName: varchar('sort_name', { length: 255 }),
    mbid: char('mbid', { length: 36 }),
    source: mysqlEnum('source', ARTIST_SOURCES).notNull().default('setlistfm'),
    /** The user who typed it; null for a shared (setlist.fm) artist. */
    userId: refColumn('user_id'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'artists_pk', columns: [t.id] }),
    uniqueIndex('artists_mbid_uq').on(t.mbid),
    index('artists_name_idx').on(t.name),
    index('artists_user_name_idx').on(t.userId, t.name),
    check('artists_owner_ck', sql`(\`source\` = 'user') = (\`user_id\` IS NOT NULL)`),
  ],
);
