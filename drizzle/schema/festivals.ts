import { char, date, double, index, int, json, mysqlEnum, mysqlTable, primaryKey, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import type { SetlistSet } from '../../shared/concert.schema.js';
import { FESTIVAL_SOURCES } from '../../shared/festival.schema.js';
import { idColumn, refColumn, timestamps } from './columns.js';

/**
 * A festival a user went to: one site, one or more consecutive days, many acts. Each
 * act the user saw is a concert of its own (`concerts.festival_id`); the lineup the
 * acts are chosen from is `festival_acts`. User-scoped and partitionable like concerts.
 */
export const festivals = mysqlTable(
  'festivals',
  {
    id: idColumn(),
    userId: refColumn('user_id').notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    /** Our venue where the photos were (the site as OpenStreetMap knows it); null when none was found. */
    venueId: refColumn('venue_id'),
    /** The site as setlist.fm names it ("Flevopark" of "Main Stage, Flevopark"), lower-cased: what days join on. */
    siteKey: varchar('site_key', { length: 255 }).notNull(),
    siteName: varchar('site_name', { length: 255 }).notNull(),
    city: varchar('city', { length: 255 }),
    countryCode: char('country_code', { length: 2 }),
    latitude: double('latitude'),
    longitude: double('longitude'),
    timeZone: varchar('time_zone', { length: 64 }),
    firstDate: date('first_date', { mode: 'string' }).notNull(),
    lastDate: date('last_date', { mode: 'string' }).notNull(),
    source: mysqlEnum('source', FESTIVAL_SOURCES).notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'festivals_pk', columns: [t.id, t.userId] }),
    index('festivals_user_site_idx').on(t.userId, t.siteKey, t.firstDate),
    index('festivals_user_venue_idx').on(t.userId, t.venueId, t.firstDate),
  ],
);

/**
 * One act of a festival day's lineup (from setlist.fm, or named by the user), with
 * its set times once the user gave them. `concert_id` is set once the user saw it:
 * a photo cluster was assigned to it.
 */
export const festivalActs = mysqlTable(
  'festival_acts',
  {
    id: idColumn(),
    userId: refColumn('user_id').notNull(),
    festivalId: refColumn('festival_id').notNull(),
    dayDate: date('day_date', { mode: 'string' }).notNull(),
    artistId: refColumn('artist_id').notNull(),
    /** The stage as setlist.fm names it ("Main Stage"), or null for a one-stage site. */
    stage: varchar('stage', { length: 255 }),
    /** setlist.fm's order of the day's setlists: the lineup's order where nothing else decides. */
    position: int('position', { unsigned: true }).notNull(),
    setlistfmId: varchar('setlistfm_id', { length: 16 }),
    setlistfmUrl: varchar('setlistfm_url', { length: 500 }),
    setlist: json('setlist').$type<SetlistSet[]>(),
    /** Local wall-clock times ('HH:mm'); an end before the start (or before 05:00) is after midnight. */
    setStart: varchar('set_start', { length: 5 }),
    setEnd: varchar('set_end', { length: 5 }),
    concertId: refColumn('concert_id'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'festival_acts_pk', columns: [t.id, t.userId] }),
    uniqueIndex('festival_acts_day_artist_uq').on(t.userId, t.festivalId, t.dayDate, t.artistId),
    index('festival_acts_concert_idx').on(t.userId, t.concertId),
  ],
);
