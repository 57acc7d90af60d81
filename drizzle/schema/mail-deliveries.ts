import { mysqlEnum, mysqlTable, primaryKey, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { idColumn, instant, refColumn, timestamps } from './columns.js';

export const MAIL_KINDS = ['scan_finished', 'milestone', 'on_this_day'] as const;

/**
 * One row per mail the product decided to send. The idempotency key (for instance
 * `milestone:25` or `on_this_day:2026-11-23`) is unique per user, so a retried or
 * doubled job never sends one event twice.
 */
export const mailDeliveries = mysqlTable(
  'mail_deliveries',
  {
    id: idColumn(),
    userId: refColumn('user_id').notNull(),
    kind: mysqlEnum('kind', MAIL_KINDS).notNull(),
    idempotencyKey: varchar('idempotency_key', { length: 191 }).notNull(),
    status: mysqlEnum('status', ['sending', 'sent']).notNull().default('sending'),
    messageId: varchar('message_id', { length: 255 }),
    sentAt: instant('sent_at'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: 'mail_deliveries_pk', columns: [t.id, t.userId] }),
    uniqueIndex('mail_deliveries_key_uq').on(t.userId, t.idempotencyKey),
  ],
);
