import { boolean, char, double, mysqlEnum, mysqlTable, primaryKey, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { idColumn, timestamps } from './columns.js';

export const users = mysqlTable(
  'users',
  {
    id: idColumn(),
    email: varchar('email', { length: 320 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    passwordHash: varchar('password_hash', { length: 255 }).notNull(),
    role: mysqlEnum('role', ['user', 'admin']).notNull().default('user'),
    timeZone: varchar('time_zone', { length: 64 }),
    /** Which mails the user wants (issue 9); each can be turned off in settings or by a mail's unsubscribe link. */
    mailScanFinished: boolean('mail_scan_finished').notNull().default(true),
    mailMilestones: boolean('mail_milestones').notNull().default(true),
    mailOnThisDay: boolean('mail_on_this_day').notNull().default(true),
    /** Where the user lives (issue 19), a city of the offline list (server/geo/city-search.ts) with its position: the stats measure distances from it. */
    homeCityName: varchar('home_city_name', { length: 200 }),
    homeCountryCode: char('home_country_code', { length: 2 }),
    homeLatitude: double('home_latitude'),
    homeLongitude: double('home_longitude'),
    ...timestamps,
  },
  (t) => [primaryKey({ name: 'users_pk', columns: [t.id] }), uniqueIndex('users_email_uq').on(t.email)],
);
