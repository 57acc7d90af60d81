import { char, date, index, json, mysqlTable, primaryKey, varchar } from 'drizzle-orm/mysql-core';
import type { SetlistSet, SupportingAct } from '../../shared/concert.schema.js';
import { timestamps } from './columns.js';

/**
 * What setlist.fm said about one evening at one of its venues: the shared facts
 * every user's matching reuses without asking setlist.fm again. Written only from
 * setlist.fm's answers, never from a user's concert (which its owner may edit).
 */
export const setlistfmShows = mysqlTable(
  'setlistfm_shows',
  {
    /** The headliner's setlist. */
    setlistfmId: varchar('setlistfm_id', { length: 16 }).notNull(),
    setlistfmVenueId: varchar('setlistfm_venue_id', { length: 16 }).notNull(),
    showDate: date('show_date', { mode: 'string' }).notNull(),
    artistName: varchar('artist_name', { length: 255 }).notNull(),
    artistMbid: char('artist_mbid', { length: 36 }),
    artistSortName: varchar('artist_sort_name', { length: 255 }),
    tour: varchar('tour', { length: 255 }),
    supportingActs: json('supporting_acts').$type<SupportingAct[]>().notNull(),
    setlist: json('setlist').$type<SetlistSet[]>().notNull(),
    url: varchar('url', { length: 500 }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'setlistfm_shows_pk', columns: [t.setlistfmId] }),
    index('setlistfm_shows_venue_date_idx').on(t.setlistfmVenueId, t.showDate),
  ],
);
