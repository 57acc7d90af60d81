import { bigint, datetime } from 'drizzle-orm/mysql-core';
import { sql } from 'drizzle-orm';

/** Auto-increment surrogate key. `serial()` emits SQL that MariaDB rejects. */
export const idColumn = () => bigint('id', { mode: 'number', unsigned: true }).autoincrement().notNull();

/** A reference to another row's id. */
export const refColumn = (name: string) => bigint(name, { mode: 'number', unsigned: true });

/** UTC instants with millisecond precision; the pool runs with timezone 'Z'. */
export const instant = (name: string) => datetime(name, { mode: 'date', fsp: 3 });

export const timestamps = {
  createdAt: instant('created_at').notNull().default(sql`CURRENT_TIMESTAMP(3)`),
  updatedAt: instant('updated_at')
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`)
    .$onUpdate(() => new Date()),
};
