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
