import { double, index, mysqlTable, primaryKey } from 'drizzle-orm/mysql-core';
import { idColumn, refColumn, timestamps } from './columns.js';

/**
 * A user's correction remembered: photos taken around this point belong to this
 * venue. Venue detection asks these first, so the machine never repeats a mistake
 * the user fixed. User-scoped and partitionable.
 */
export const venueAliases = mysqlTable(
  'venue_aliases',
  {
    id: idColumn(),
    userId: refColumn('user_id').notNull(),
    venueId: refColumn('venue_id').notNull(),
    latitude: double('latitude').notNull(),
    longitude: double('longitude').notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'venue_aliases_pk', columns: [t.id, t.userId] }),
    index('venue_aliases_user_gps_idx').on(t.userId, t.latitude, t.longitude),
  ],
);
