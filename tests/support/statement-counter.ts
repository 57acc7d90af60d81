/**
 * Every statement a pool sends, as MariaDB receives it, for tests that bound how much
 * SQL a code path does (never how long it takes). Install it on a pool before its first
 * query: it wraps each connection as the pool opens it, as server/db/client.ts does to
 * time slow queries.
 */
import type { Pool as CorePool } from 'mysql2';
import { onEveryCommand } from '../../server/db/client.js';

const WRITE = /^\s*(insert|update|delete|replace)\b/i;

/** `pool`: a database's callback pool (`createDatabase(...).primaryCorePool`), whose events see each connection. */
export function recordAllStatements(pool: CorePool) {
  const sent: string[] = [];
  onEveryCommand(pool, (first, command) => sent.push(command.sql ?? String(first)));
  return {
    /** How many statements were sent so far: a mark for `since`. */
    mark: () => sent.length,
    /** The statements sent after `mark`. */
    since: (mark: number) => sent.slice(mark),
    /** The INSERT, UPDATE and DELETE statements sent after `mark`. */
    writesSince: (mark: number) => sent.slice(mark).filter((statement) => WRITE.test(statement)),
  };
}
