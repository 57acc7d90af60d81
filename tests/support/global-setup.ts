/**
 * One fresh MariaDB database and one Redis key prefix per test run, migrated from
 * empty, and removed afterwards. Tests read them through inject(). The integration
 * and end-to-end projects use it; the unit project has no global setup (it runs
 * without MariaDB and Redis, see tests/support/unit-tier.ts).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';
import { dropDatabase, migrateDatabase } from '../../server/db/migrate.js';
import { killStrays, markThisRun } from './stray-processes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    redisKeyPrefix: string;
  }
}

const MYSQL_SERVER = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export default async function setup(project: TestProject) {
  const mark = markThisRun();
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const databaseUrl = `${MYSQL_SERVER}/ch_test_${runId}`;
  const redisKeyPrefix = `chtest-${runId}`;
  await migrateDatabase(databaseUrl);
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', REDIS_URL);
  project.provide('redisKeyPrefix', redisKeyPrefix);

  return async () => {
    // Before the database goes: nothing of this run may still be writing into it.
    const strays = killStrays(mark);
    if (strays.length) console.warn(`global teardown killed ${strays.length} process(es) of this run a test left running:\n  ${strays.join('\n  ')}`);
    await dropDatabase(databaseUrl);
    const redis = new Redis(REDIS_URL);
    try {
      // SCAN is fine here: test teardown, never a request path.
      for await (const keys of redis.scanStream({ match: `${redisKeyPrefix}*`, count: 500 })) {
        if ((keys as string[]).length) await redis.del(...(keys as string[]));
      }
    } finally {
      redis.disconnect();
    }
  };
}
