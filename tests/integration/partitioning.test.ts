import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { inject, describe, expect, it } from 'vitest';
import { dropDatabase, migrateDatabase } from '../../server/db/migrate.js';

describe('drizzle/partitioning.sql', () => {
  it('HASH-partitions every user-scoped table by user id on MariaDB, and the tables still work', async () => {
    const url = `${inject('databaseUrl')}_part`;
    await migrateDatabase(url);
    const connection = await mysql.createConnection({ uri: url, multipleStatements: true });
    try {
      await connection.query(readFileSync('drizzle/partitioning.sql', 'utf8'));
      const [rows] = await connection.query(
        `SELECT table_name AS t, COUNT(*) AS n, MIN(partition_method) AS method FROM information_schema.partitions
         WHERE table_schema = DATABASE() AND partition_name IS NOT NULL GROUP BY table_name ORDER BY table_name`,
      );
      expect(rows).toEqual([
        { t: 'concerts', n: 64, method: 'HASH' },
        { t: 'duplicate_groups', n: 16, method: 'HASH' },
        { t: 'festivals', n: 16, method: 'HASH' },
        { t: 'festival_acts', n: 16, method: 'HASH' },
        { t: 'history_exports', n: 16, method: 'HASH' },
        { t: 'mail_deliveries', n: 16, method: 'HASH' },
        { t: 'photos', n: 64, method: 'HASH' },
        { t: 'processed_files', n: 64, method: 'HASH' },
        { t: 'scans', n: 16, method: 'HASH' },
        { t: 'sources', n: 16, method: 'HASH' },
        { t: 'uploads', n: 16, method: 'HASH' },
        { t: 'venue_aliases', n: 16, method: 'HASH' },
      ]);

      await connection.query(
        `INSERT INTO photos (user_id, source_id, source_file_id, file_name) VALUES (7, 1, 'a.jpg', 'a.jpg'), (8, 1, 'a.jpg', 'a.jpg')`,
      );
      // The idempotency key still holds per user on the partitioned table.
      await expect(
        connection.query(`INSERT INTO photos (user_id, source_id, source_file_id, file_name) VALUES (7, 1, 'a.jpg', 'again')`),
      ).rejects.toThrow(/Duplicate entry/);
      const [explain] = await connection.query(`EXPLAIN PARTITIONS SELECT * FROM photos WHERE user_id = 7`);
      expect((explain as { partitions: string }[])[0]!.partitions).toBe('p7');
    } finally {
      await connection.end();
      await dropDatabase(url);
    }
  });
});
