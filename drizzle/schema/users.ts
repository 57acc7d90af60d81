import { mysqlEnum, mysqlTable, primaryKey, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
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
    ...timestamps,
  },
  (t) => [primaryKey({ name: 'users_pk', columns: [t.id] }), uniqueIndex('users_email_uq').on(t.email)],
);
