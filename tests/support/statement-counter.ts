/**
 * Every statement a pool sends, as MariaDB receives it, for tests that bound how much
 * SQL a code path does (never how long it takes). Install it on a pool before its first
 * query: it wraps each connection as the pool opens it, as server/db/client.ts does to
 * time slow queries.
 */
import type mysql from 'mysql2/promise';

type Command = { sql?: string };
type CoreConnection = Record<'query' | 'execute', (...args: unknown[]) => Command>;

const WRITE = /^\s*(insert|update|delete|replace)\b/i;

export function recordAllStatements(pool: mysql.Pool) {
  const sent: string[] = [];
  pool.on('connection', (connection) => {
    const core = connection as unknown as CoreConnection;
    for (const method of ['query', 'execute'] as const) {
      const original = core[method].bind(core);
      core[method] = (...args: unknown[]) => {
        const command = original(...args);
        sent.push(command.sql ?? String(args[0]));
        return command;
      };
    }
  });
  return {
    /** How many statements were sent so far: a mark for `since`. */
    mark: () => sent.length,
    /** The statements sent after `mark`. */
    since: (mark: number) => sent.slice(mark),
    /** The INSERT, UPDATE and DELETE statements sent after `mark`. */
    writesSince: (mark: number) => sent.slice(mark).filter((statement) => WRITE.test(statement)),
  };
}
