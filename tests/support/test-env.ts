import { inject } from 'vitest';
import { loadConfig, type AppConfig } from '../../server/config.js';

/** The environment a process under test gets: this run's database and Redis prefix. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    CLIENT_MODE: 'off',
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: inject('redisUrl'),
    // Per test file (each runs in its own process): worker processes of parallel files must not take each other's jobs.
    REDIS_KEY_PREFIX: `${inject('redisKeyPrefix')}-${process.pid}`,
    // Every test signs its users up from 127.0.0.1; the sign-up limit's own tests turn it on.
    RATE_LIMIT_SIGNUPS_PER_HOUR: '0',
    // Suites about something else add folders anywhere under their import root (a one-household install). Each
    // user's own import folder is what production does: tests/security/local-import.test.ts, scan-pipeline and
    // scan-crash-safety run that way (LOCAL_IMPORT_SHARED=false).
    LOCAL_IMPORT_SHARED: 'true',
    ...overrides,
  };
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig(testEnv(overrides));
}

let counter = 0;
/** A unique, valid email for each test user, so tests never share accounts. */
export function uniqueEmail(label = 'user'): string {
  counter += 1;
  return `${label}-${process.pid}-${Date.now()}-${counter}@example.test`;
}
