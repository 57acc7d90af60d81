import { bigint, char, double, index, mysqlEnum, mysqlTable, primaryKey, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { idColumn, timestamps } from './columns.js';

/** Venues are shared by every user and cached forever once found (OpenStreetMap, setlist.fm). */
export const venues = mysqlTable(
  'venues',
  {
    id: idColumn(),
    name: varchar('name', { length: 255 }).notNull(),
    city: varchar('city', { length: 255 }),
    countryCode: char('country_code', { length: 2 }),
    latitude: double('latitude').notNull(),
    longitude: double('longitude').notNull(),
    osmType: mysqlEnum('osm_type', ['node', 'way', 'relation']),
    osmId: bigint('osm_id', { mode: 'number', unsigned: true }),
    setlistfmId: varchar('setlistfm_id', { length: 16 }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'venues_pk', columns: [t.id] }),
    index('venues_gps_idx').on(t.latitude, t.longitude),
    uniqueIndex('venues_osm_uq').on(t.osmType, t.osmId),
    /** Not unique: OpenStreetMap can hold one hall twice (a node and a building), both being one setlist.fm venue. */
    index('venues_setlistfm_idx').on(t.setlistfmId),
  ],
);
