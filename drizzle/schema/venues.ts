import { sql } from 'drizzle-orm';
import { bigint, char, check, double, index, mysqlEnum, mysqlTable, primaryKey, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { idColumn, refColumn, timestamps } from './columns.js';

/**
 * Where a venue row came from: OpenStreetMap (name and position both OSM's), a
 * setlist.fm venue placed where a user's photos were, or a name a user typed.
 */
export const VENUE_SOURCES = ['osm', 'setlistfm', 'user'] as const;

/**
 * Venues found in OpenStreetMap are shared by every user and cached forever. A
 * venue whose position (or name) a user gave is that user's alone (`user_id`):
 * venue detection, candidates and matching of other users never see it.
 */
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
    source: mysqlEnum('source', VENUE_SOURCES).notNull().default('osm'),
    /** The user whose venue this is; null for a shared (OpenStreetMap) venue. */
    userId: refColumn('user_id'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'venues_pk', columns: [t.id] }),
    index('venues_gps_idx').on(t.latitude, t.longitude),
    uniqueIndex('venues_osm_uq').on(t.osmType, t.osmId),
    /** Not unique: OpenStreetMap can hold one hall twice (a node and a building), both being one setlist.fm venue. */
    index('venues_setlistfm_idx').on(t.setlistfmId),
    index('venues_user_idx').on(t.userId),
    check('venues_owner_ck', sql`(\`source\` = 'osm') = (\`user_id\` IS NULL)`),
  ],
);
