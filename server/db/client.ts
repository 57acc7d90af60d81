/**
 * One mysql2 pool per process for the primary (and one per replica), wrapped in
 * drizzle. With DATABASE_REPLICA_URLS set, `db` sends selects to a replica and
 * writes to the primary; `db.$primary` forces the primary, and so does every read
 * inside `readingFromPrimary` (read-your-writes, see read-your-writes.ts).
 */
import { drizzle } from 'drizzle-orm/mysql2';
import { withReplicas } from 'drizzle-orm/mysql-core';
import { createPool as createCorePool, type Pool as CorePool, type PoolConnection } from 'mysql2';
import type mysql from 'mysql2/promise';
import * as schema from '../../drizzle/schema/index.js';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { replicaPicker } from './read-your-writes.js';

/**
 * A pool of mysql2's callback API, whose events carry the connections it opens (typed
 * as they are), and its promise API for drizzle. Everything below uses public API only.
 */
export function createPool(url: string, config: AppConfig['database'], logger: Logger) {
  const corePool = createCorePool({
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
  // DEFAULT CURRENT_TIMESTAMP(3) follows the session zone: make it UTC too (a callback keeps a failure from going unhandled).
  corePool.on('connection', (connection) => {
    connection.query("SET time_zone = '+00:00'", (error) => {
      if (error) logger.error({ err: error.message }, 'could not set the session time zone to UTC');
    });
  });
  if (config.slowQueryMs > 0) logSlowQueries(corePool, config.slowQueryMs, logger);
  return { pool: corePool.promise(), corePool, usage: trackUsage(corePool) };
}

/** Connections open and in use, counted from the pool's own events (mysql2 keeps no public counters). */
export interface PoolUsage {
  open(): number;
  inUse(): number;
}

function trackUsage(pool: CorePool): PoolUsage {
  let open = 0;
  let inUse = 0;
  pool.on('connection', (connection) => {
    open += 1;
    connection.once('end', () => (open -= 1));
  });
  pool.on('acquire', () => (inUse += 1));
  pool.on('release', () => (inUse = Math.max(inUse - 1, 0)));
  return { open: () => open, inUse: () => inUse };
}

/** A query or execute command: its SQL as sent (values formatted in), and an 'end' event once answered. */
export type Command = { sql?: string; once(event: 'end', listener: () => void): unknown };

/**
 * Wraps the `query` and `execute` of every connection the pool opens from now on (timing
 * them, counting them in tests): the one hook mysql2 offers is its 'connection' event.
 */
export function onEveryCommand(pool: CorePool, listener: (first: unknown, command: Command) => void) {
  const watched = <Method extends (...args: never[]) => Command>(original: Method) =>
    ((...args: Parameters<Method>) => {
      const command = original(...args);
      listener(args[0], command);
      return command;
    }) as Method;
  pool.on('connection', (connection: PoolConnection) => {
    connection.query = watched(connection.query.bind(connection));
    connection.execute = watched(connection.execute.bind(connection));
  });
}

function logSlowQueries(pool: CorePool, thresholdMs: number, logger: Logger) {
  onEveryCommand(pool, (first, command) => {
    const startedAt = performance.now();
    command.once('end', () => {
      const durationMs = performance.now() - startedAt;
      if (durationMs >= thresholdMs) logger.warn({ durationMs: Math.round(durationMs), sql: statementOf(first) }, 'slow query');
    });
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
  const primaryPools = createPool(config.url, config, logger);
  const primaryPool = primaryPools.pool;
  const replicaPools = config.replicaUrls.map((url) => createPool(url, config, logger).pool);
  const primary = wrap(primaryPool);
  const [firstReplica, ...otherReplicas] = replicaPools.map(wrap);
  const db = firstReplica ? withReplicas(primary, [firstReplica, ...otherReplicas], replicaPicker(primary)) : withReplicas(primary, [primary]);
  return {
    db,
    primaryPool,
    /** The primary's callback pool: its events see every connection (onEveryCommand). */
    primaryCorePool: primaryPools.corePool,
    primaryPoolUsage: primaryPools.usage,
    async ping() {
      await primaryPool.query('SELECT 1');
    },
    async close() {
      await Promise.all([primaryPool, ...replicaPools].map((pool) => pool.end()));
    },
  };
}

export type Database = ReturnType<typeof createDatabase>['db'];
