/** LIKE searches over user text, whose `%` and `_` must match themselves. */
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

// '!' rather than the default backslash: the meaning does not depend on the server's SQL mode.
const escapeLike = (text: string) => text.replace(/[!%_]/g, '!$&');

export function contains(column: AnyColumn, text: string): SQL {
  return sql`${column} LIKE ${`%${escapeLike(text)}%`} ESCAPE '!'`;
}

export function startsWith(column: AnyColumn, text: string): SQL {
  return sql`${column} LIKE ${`${escapeLike(text)}%`} ESCAPE '!'`;
}
