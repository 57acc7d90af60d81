import { char, date, double, index, json, mysqlEnum, mysqlTable, primaryKey, text, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { CONCERT_STATUSES, type SetlistSet, type SupportingAct } from '../../shared/concert.schema.js';
import { idColumn, refColumn, timestamps } from './columns.js';

/**
 * One show a user attended. User-scoped: the primary key carries user_id so the
 * table can be HASH-partitioned by user (see drizzle/partitioning.sql), which is
 * also why there are no foreign keys here.
 */
export const concerts = mysqlTable(
  'concerts',
  {
    id: idColumn(),
    userId: refColumn('user_id').notNull(),
    artistId: refColumn('artist_id'),
    venueId: refColumn('venue_id'),
    /** The local date of the evening (an evening runs until 05:00 local time). */
    concertDate: date('concert_date', { mode: 'string' }).notNull(),
    city: varchar('city', { length: 255 }),
    countryCode: char('country_code', { length: 2 }),
    tour: varchar('tour', { length: 255 }),
    supportingActs: json('supporting_acts').$type<SupportingAct[]>(),
    setlist: json('setlist').$type<SetlistSet[]>(),
    setlistfmId: varchar('setlistfm_id', { length: 16 }),
    /** The setlist's page on setlist.fm, linked wherever its data is shown (their attribution terms). */
    setlistfmUrl: varchar('setlistfm_url', { length: 500 }),
    /** Where the photos were taken (their centroid) and the zone there: what the inbox offers candidates around. */
    latitude: double('latitude'),
    longitude: double('longitude'),
    timeZone: varchar('time_zone', { length: 64 }),
    /** 0–1, how sure venue detection was; null when no venue was detected automatically. */
    venueConfidence: double('venue_confidence'),
    notes: text('notes'),
    status: mysqlEnum('status', CONCERT_STATUSES).notNull().default('needs_review'),
    /** Set by automatic matching so two workers matching one event create one concert. */
    eventKey: varchar('event_key', { length: 64 }),
    /** The festival this act was seen at (drizzle/schema/festivals.ts); null for a show of its own. */
    festivalId: refColumn('festival_id'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'concerts_pk', columns: [t.id, t.userId] }),
    index('concerts_user_date_idx').on(t.userId, t.concertDate),
    index('concerts_user_venue_date_idx').on(t.userId, t.venueId, t.concertDate),
    index('concerts_user_artist_idx').on(t.userId, t.artistId),
    index('concerts_user_status_idx').on(t.userId, t.status, t.concertDate),
    /** Other users' shows at a venue on a date: the review inbox's unverified suggestions (never matching). */
    index('concerts_venue_date_idx').on(t.venueId, t.concertDate),
    uniqueIndex('concerts_user_event_uq').on(t.userId, t.eventKey),
    index('concerts_user_festival_idx').on(t.userId, t.festivalId),
  ],
);
