/**
 * The SQL a code path really sends, and MariaDB's plan for it. Statements are
 * recorded on the pool's connections (as server/db/client.ts times slow queries),
 * already formatted with their values, then each is run again under EXPLAIN.
 */
import type { Pool as CorePool } from 'mysql2';
import type mysql from 'mysql2/promise';
import { onEveryCommand } from '../../server/db/client.js';

/** Tables holding one row per user's item: a full scan of one reads every user's rows. */
export const USER_SCOPED_TABLES = new Set([
  'photos',
  'concerts',
  'duplicate_groups',
  'sources',
  'scans',
  'processed_files',
  'uploads',
  'venue_aliases',
]);

export interface PlanRow {
  table: string;
  type: string;
  key: string | null;
  rows: number;
  extra: string;
}

/** `pool`: the database's callback pool (`createDatabase(...).primaryCorePool`), whose events see each connection. */
export function recordStatements(pool: CorePool) {
  let recording: string[] | null = null;
  onEveryCommand(pool, (_first, command) => {
    if (recording && command.sql && /^\s*(select|with)\b/i.test(command.sql)) recording.push(command.sql);
  });
  return {
    /** The SELECTs `run` sent, in order. */
    async of(run: () => Promise<unknown>): Promise<string[]> {
      const statements: string[] = [];
      recording = statements;
      try {
        await run();
      } finally {
        recording = null;
      }
      return statements;
    },
  };
}

export async function explain(connection: mysql.Connection, statement: string): Promise<PlanRow[]> {
  const [rows] = await connection.query(`EXPLAIN ${statement}`);
  return (rows as Array<Record<string, unknown>>).map((row) => ({
    table: String(row.table ?? ''),
    type: String(row.type ?? ''),
    key: (row.key as string | null) ?? null,
    rows: Number(row.rows ?? 0),
    extra: String(row.Extra ?? ''),
  }));
}

/** Plan rows reading a whole user-scoped table (or the whole of one of its indexes). */
export function fullScans(plan: readonly PlanRow[]): PlanRow[] {
  return plan.filter((row) => USER_SCOPED_TABLES.has(row.table) && (row.type === 'ALL' || row.type === 'index'));
}

/** "photos: ref photos_concert_idx ~57 rows" for each base table of the plan; derived tables and JSON_TABLE are left out. */
export function describePlan(plan: readonly PlanRow[]): string[] {
  return plan
    .filter((row) => !row.table.startsWith('<') && row.table !== 'played')
    .map((row) => `${row.table}: ${row.type} ${row.key ?? '(no key)'} ~${row.rows} rows${/filesort/.test(row.extra) ? ', filesort' : ''}`);
}
