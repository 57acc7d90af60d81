import mysql from 'mysql2/promise';
import { inject, describe, expect, it } from 'vitest';
import { dropDatabase, migrateDatabase } from '../../server/db/migrate.js';

const freshDatabaseUrl = (label: string) => `${inject('databaseUrl')}_${label}`;

async function tablesOf(url: string): Promise<string[]> {
  const connection = await mysql.createConnection(url);
  try {
    const [rows] = await connection.query('SHOW TABLES');
    return (rows as Record<string, string>[]).map((row) => Object.values(row)[0]!).sort();
  } finally {
    await connection.end();
  }
}

describe('db:migrate', () => {
  it('creates a missing database and applies every migration from empty, twice without harm', async () => {
    const url = freshDatabaseUrl('mig');
    try {
      await migrateDatabase(url);
      await migrateDatabase(url);
      expect(await tablesOf(url)).toEqual([
        '__drizzle_migrations',
        'artists',
        'concerts',
        'duplicate_groups',
        'festival_acts',
        'festivals',
        'history_exports',
        'mail_deliveries',
        'photos',
        'processed_files',
        'scans',
        'setlistfm_shows',
        'sources',
        'uploads',
        'users',
        'venue_aliases',
        'venues',
      ]);
      const connection = await mysql.createConnection(url);
      const [[schema]] = (await connection.query(
        'SELECT default_character_set_name AS charset FROM information_schema.schemata WHERE schema_name = DATABASE()',
      )) as unknown as [[{ charset: string }]];
      const [indexes] = await connection.query(
        `SELECT table_name AS t, index_name AS i FROM information_schema.statistics WHERE table_schema = DATABASE() AND seq_in_index = 1`,
      );
      await connection.end();
      expect(schema.charset).toBe('utf8mb4');
      const names = (indexes as { i: string }[]).map((row) => row.i);
      // The seed's composite indexes and the unique key that makes ingest idempotent.
      for (const index of [
        'concerts_user_date_idx',
        'photos_concert_idx',
        'photos_unmatched_idx',
        'venues_gps_idx',
        'processed_files_user_file_idx',
        'photos_user_source_file_uq',
      ]) {
        expect(names).toContain(index);
      }
    } finally {
      await dropDatabase(url);
    }
  });

  it('refuses a database name that could inject SQL', async () => {
    await expect(migrateDatabase('mysql://root@127.0.0.1:3306/x`; DROP DATABASE test; --')).rejects.toThrow(/letters, digits and _/);
  });
});
