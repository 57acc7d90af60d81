import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses the local defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.database.url).toBe('mysql://root@127.0.0.1:3306/concert_history');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.http.port).toBe(3000);
    expect(config.worker.queues).toEqual(['scan', 'photo', 'venue', 'match', 'image', 'schedule', 'mail', 'export']);
    expect(config.database.replicaUrls).toEqual([]);
    expect(config.clientMode).toBe('vite');
  });

  it('names every bad variable in one message', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'postgres://x/y', REDIS_URL: 'nope', WORKER_QUEUES: 'scan,bogus' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'WORKER_QUEUES']) expect(message).toContain(name);
    expect(message).toContain('unknown queue "bogus"');
  });

  it('refuses to run in production without a session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: is required in production/);
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
    expect(config.session.secret).toBe('x'.repeat(40));
    expect(config.clientMode).toBe('static');
  });

  it('rejects a short session secret', () => {
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET: must be at least 32 characters/);
  });

  it('parses replica lists, queue lists and per-queue concurrency', () => {
    const config = loadConfig({
      DATABASE_REPLICA_URLS: 'mysql://r1:3306/db, mysql://r2:3306/db',
      WORKER_QUEUES: 'photo,image',
      WORKER_CONCURRENCY: 'photo=4,image=1',
      DATABASE_POOL_SIZE: '25',
    });
    expect(config.database.replicaUrls).toEqual(['mysql://r1:3306/db', 'mysql://r2:3306/db']);
    expect(config.worker.queues).toEqual(['photo', 'image']);
    expect(config.worker.concurrency.photo).toBe(4);
    expect(config.worker.concurrency.scan).toBe(1);
    expect(config.database.poolSize).toBe(25);
  });

  it('rejects concurrency for an unknown queue or out of range', () => {
    expect(() => loadConfig({ WORKER_CONCURRENCY: 'nope=2' })).toThrow(/WORKER_CONCURRENCY/);
    expect(() => loadConfig({ WORKER_CONCURRENCY: 'photo=0' })).toThrow(/WORKER_CONCURRENCY/);
  });
});
