/**
 * One mysql2 pool per process for the primary (and one per replica), wrapped in
 * drizzle. With DATABASE_REPLICA_URLS set, `db` sends selects to a replica and
 * writes to the primary; `db.$primary` forces the primary, and so does every read
 * inside `readingFromPrimary` (read-your-writes, see read-your-writes.ts).
 */
import { drizzle } from 'drizzle-orm/mysql2';
import { withReplicas } from 'drizzle-orm/mysql-core';
import mysql from 'mysql2/promise';
import * as schema from '../../drizzle/schema/index.js';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { replicaPicker } from './read-your-writes.js';

export function createPool(url: string, config: AppConfig['database'], logger: Logger) {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: config.poolSize,
    maxIdle: config.poolSize,
    idleTimeout: 60_000,
    enableKeepAlive: true,
    keepAliveInitialDelay: 10_000,
    connectTimeout: 5_000,
    // Dates are instants: written and read as UTC whatever the server's zone.
    timezone: 'Z',
    dateStrings: ['DATE'],
    supportBigNumbers: true,
    bigNumberStrings: false,
    charset: 'utf8mb4_unicode_ci',
  });
  // DEFAULT CURRENT_TIMESTAMP(3) follows the session zone: make it UTC too.
  // (The event hands over mysql2's callback-style connection; a callback keeps a failure from going unhandled.)
  pool.on('connection', (connection) => {
    (connection as unknown as CoreConnection).query("SET time_zone = '+00:00'", (error: unknown) => {
      if (error) logger.error({ err: (error as Error).message }, 'could not set the session time zone to UTC');
    });
  });
  if (config.slowQueryMs > 0) logSlowQueries(pool, config.slowQueryMs, logger);
  return pool;
}

type TimedCommand = { once(event: 'end', listener: () => void): unknown };
type CoreConnection = Record<'query' | 'execute', (...args: unknown[]) => TimedCommand>;

/**
 * drizzle's logger runs before a query, so it cannot time one. Instead every new
 * pooled connection gets its query/execute wrapped to time the command to its end.
 *
 * What is logged is the statement as written, with its `?` placeholders, never the
 * command's own SQL text: mysql2 formats the values into that (password hashes,
 * e-mail addresses, tokens). Literals written into a statement are masked too.
 */
function logSlowQueries(pool: mysql.Pool, thresholdMs: number, logger: Logger) {
  pool.on('connection', (connection) => {
    const core = connection as unknown as CoreConnection;
    for (const method of ['query', 'execute'] as const) {
      const original = core[method].bind(core);
      core[method] = (...args: unknown[]) => {
        const startedAt = performance.now();
        const command = original(...args);
        command.once('end', () => {
          const durationMs = performance.now() - startedAt;
          if (durationMs >= thresholdMs) logger.warn({ durationMs: Math.round(durationMs), sql: statementOf(args[0]) }, 'slow query');
        });
        return command;
      };
    }
  });
}

/** The statement of a query/execute call (a string or `{ sql }`), without any value in it. */
export function statementOf(first: unknown): string {
  const text = typeof first === 'string' ? first : typeof (first as { sql?: unknown } | null)?.sql === 'string' ? (first as { sql: string }).sql : '';
  return maskLiterals(text).slice(0, 2000);
}

/** Quoted strings and hex or binary literals become `?`: statements built with values inline (sql.raw) log no value either. */
export function maskLiterals(sql: string): string {
  return sql.replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|\b[xX]'[0-9a-fA-F]*'|\b0x[0-9a-fA-F]+\b/g, '?');
}

function wrap(pool: mysql.Pool) {
  return drizzle({ client: pool, schema, mode: 'default' });
}

export function createDatabase(config: AppConfig['database'], logger: Logger) {
  const primaryPool = createPool(config.url, config, logger);
  const replicaPools = config.replicaUrls.map((url) => createPool(url, config, logger));
  const primary = wrap(primaryPool);
  const [firstReplica, ...otherReplicas] = replicaPools.map(wrap);
  const db = firstReplica
    ? withReplicas(primary, [firstReplica, ...otherReplicas], replicaPicker(primary))
    : withReplicas(primary, [primary]);
  return {
    db,
    primaryPool,
    async ping() {
      await primaryPool.query('SELECT 1');
    },
    async close() {
      await Promise.all([primaryPool, ...replicaPools].map((pool) => pool.end()));
    },
  };
}

export type Database = ReturnType<typeof createDatabase>['db'];
