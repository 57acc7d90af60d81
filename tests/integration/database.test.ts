import { Writable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { users } from '../../drizzle/schema/index.js';
import { createDatabase } from '../../server/db/client.js';
import { dropDatabase, migrateDatabase } from '../../server/db/migrate.js';
import { testConfig, uniqueEmail } from '../support/test-env.js';

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('database access', () => {
  // A second database on the same server stands in for a replica: if reads go
  // there they cannot see rows written to the primary.
  const replicaUrl = `${inject('databaseUrl')}_replica`;
  beforeAll(() => migrateDatabase(replicaUrl));
  afterAll(() => dropDatabase(replicaUrl));

  it('sends reads to the replica and writes to the primary when replicas are configured', async () => {
    const config = testConfig({ DATABASE_REPLICA_URLS: replicaUrl });
    const handle = createDatabase(config.database, pino({ level: 'silent' }));
    try {
      const email = uniqueEmail('replica');
      await handle.db.insert(users).values({ email, name: 'Primary only', passwordHash: 'x' });
      expect(await handle.db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
      expect(await handle.db.$primary.select().from(users).where(eq(users.email, email))).toHaveLength(1);
    } finally {
      await handle.close();
    }
  });

  it('reads from the primary when no replica is configured', async () => {
    const handle = createDatabase(testConfig().database, pino({ level: 'silent' }));
    try {
      const email = uniqueEmail('noreplica');
      await handle.db.insert(users).values({ email, name: 'Single', passwordHash: 'x' });
      expect(await handle.db.select().from(users).where(eq(users.email, email))).toHaveLength(1);
    } finally {
      await handle.close();
    }
  });

  it('logs queries slower than the threshold with their duration and SQL, and not the fast ones', async () => {
    const { logger, lines } = capturingLogger();
    const handle = createDatabase(testConfig({ DATABASE_SLOW_QUERY_MS: '100' }).database, logger);
    try {
      await handle.db.execute(sql`SELECT 1 AS fast`);
      await handle.db.execute(sql`SELECT SLEEP(0.3) AS slow`);
      const slow = lines.filter((line) => line.msg === 'slow query');
      expect(slow).toHaveLength(1);
      expect(slow[0]!.sql).toContain('SLEEP(0.3)');
      expect(slow[0]!.durationMs).toBeGreaterThanOrEqual(100);
    } finally {
      await handle.close();
    }
  });

  it('stores instants in UTC whatever the session time zone of the server', async () => {
    const handle = createDatabase(testConfig().database, pino({ level: 'silent' }));
    try {
      const email = uniqueEmail('utc');
      const createdAt = new Date('2024-07-01T23:30:00.123Z');
      await handle.db.insert(users).values({ email, name: 'UTC', passwordHash: 'x', createdAt });
      const [row] = await handle.db.select({ createdAt: users.createdAt }).from(users).where(eq(users.email, email));
      expect(row!.createdAt.toISOString()).toBe('2024-07-01T23:30:00.123Z');
      const [[raw]] = (await handle.primaryPool.query('SELECT CAST(created_at AS CHAR) AS text FROM users WHERE email = ?', [email])) as unknown as [
        [{ text: string }],
      ];
      expect(raw.text).toBe('2024-07-01 23:30:00.123');
      const [[zone]] = (await handle.primaryPool.query('SELECT @@session.time_zone AS tz')) as unknown as [[{ tz: string }]];
      expect(zone.tz).toBe('+00:00');
    } finally {
      await handle.close();
    }
  });

  it("counts the pool's connections in use and open from its public events, for the db_pool_connections gauge", async () => {
    const handle = createDatabase(testConfig().database, pino({ level: 'silent' }));
    try {
      const usage = handle.primaryPoolUsage;
      expect([usage.inUse(), usage.open()]).toEqual([0, 0]);
      const sleeping = Promise.all([handle.primaryPool.query('SELECT SLEEP(0.5)'), handle.primaryPool.query('SELECT SLEEP(0.5)')]);
      await expect.poll(() => usage.inUse(), { timeout: 30_000 }).toBe(2);
      await sleeping;
      expect(usage.inUse()).toBe(0);
      expect(usage.open()).toBe(2);
    } finally {
      await handle.close();
    }
  });
});
