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

  it('takes a tile URL template only with {z}, {x} and {y} in an http(s) URL', () => {
    expect(loadConfig({}).map.tiles).toBeNull();
    expect(loadConfig({ MAP_TILE_URL: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' }).map.tiles).toEqual({
      urlTemplate: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      origin: 'https://tile.openstreetmap.org',
      attribution: '© OpenStreetMap contributors',
    });
    expect(() => loadConfig({ MAP_TILE_URL: 'https://tile.openstreetmap.org/{z}/{x}.png' })).toThrow(/MAP_TILE_URL: Use \{z\}, \{x\} and \{y\}/);
    expect(() => loadConfig({ MAP_TILE_URL: 'javascript:alert(1)//{z}{x}{y}' })).toThrow(/MAP_TILE_URL: Use an http\(s\) URL/);
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

  it('limits sign-ups to 5 an hour per address and /trpc bodies to 1 MB unless told otherwise', () => {
    const defaults = loadConfig({});
    expect(defaults.rateLimits.signupsPerHour).toBe(5);
    expect(defaults.http.maxTrpcBodyBytes).toBe(1024 * 1024);
    const set = loadConfig({ RATE_LIMIT_SIGNUPS_PER_HOUR: '0', TRPC_MAX_BODY_KB: '256' });
    expect(set.rateLimits.signupsPerHour).toBe(0);
    expect(set.http.maxTrpcBodyBytes).toBe(256 * 1024);
    expect(() => loadConfig({ TRPC_MAX_BODY_KB: '1' })).toThrow(/TRPC_MAX_BODY_KB/);
  });

  it('gives each user their own import folder and caps library files at 200 MB unless told otherwise', () => {
    const defaults = loadConfig({});
    expect(defaults.imports.localShared).toBe(false);
    expect(defaults.ingest.maxFileBytes).toBe(200 * 1024 * 1024);
    const set = loadConfig({ LOCAL_IMPORT_SHARED: 'true', INGEST_MAX_FILE_MB: '50' });
    expect(set.imports.localShared).toBe(true);
    expect(set.ingest.maxFileBytes).toBe(50 * 1024 * 1024);
    expect(() => loadConfig({ INGEST_MAX_FILE_MB: '0' })).toThrow(/INGEST_MAX_FILE_MB/);
    expect(() => loadConfig({ LOCAL_IMPORT_SHARED: 'yes' })).toThrow(/LOCAL_IMPORT_SHARED/);
  });

  it('gives videos caps of their own (2 GB from a library, 1 GB uploaded) and ffmpeg 30 s for a poster frame', () => {
    const defaults = loadConfig({});
    expect(defaults.ingest.maxVideoBytes).toBe(2048 * 1024 * 1024);
    expect(defaults.imports.maxUploadVideoBytes).toBe(1024 * 1024 * 1024);
    expect(defaults.media).toMatchObject({ ffmpegPath: 'ffmpeg', posterTimeoutMs: 30_000 });
    expect(loadConfig({ INGEST_MAX_VIDEO_MB: '500' }).ingest.maxVideoBytes).toBe(500 * 1024 * 1024);
    expect(() => loadConfig({ VIDEO_POSTER_TIMEOUT_SECONDS: '0' })).toThrow(/VIDEO_POSTER_TIMEOUT_SECONDS/);
  });

  it('limits uploads per user by default, each limit off at 0, and keeps their temp files beside local storage', () => {
    const secret = { SESSION_SECRET: 'x'.repeat(40) };
    const defaults = loadConfig({ ...secret, DATA_DIR: '/srv/ch' });
    expect(defaults.imports).toMatchObject({
      uploadQuotaBytes: 10_240 * 1024 * 1024,
      uploadBytesPerHour: 2_048 * 1024 * 1024,
      uploadTempDir: '/srv/ch/tmp/uploads',
    });
    const off = loadConfig({ ...secret, UPLOAD_QUOTA_MB: '0', UPLOAD_RATE_MB_PER_HOUR: '0', UPLOAD_TEMP_DIR: '/var/tmp/ch' });
    expect(off.imports).toMatchObject({ uploadQuotaBytes: null, uploadBytesPerHour: null, uploadTempDir: '/var/tmp/ch' });
    expect(loadConfig({ ...secret, STORAGE: 's3', S3_BUCKET: 'photos' }).imports.uploadTempDir).not.toMatch(/\/objects|\.data/);
    expect(() => loadConfig({ ...secret, UPLOAD_QUOTA_MB: '-1' })).toThrow(/UPLOAD_QUOTA_MB/);
  });

  it("keeps setlist.fm to its standard key's quotas unless told otherwise: 2 requests a second, 1,440 a day", () => {
    const secret = { SESSION_SECRET: 'x'.repeat(40) };
    expect(loadConfig({ ...secret, SETLISTFM_API_KEY: 'key' }).matching.setlistfm).toMatchObject({ ratePerSecond: 2, dailyLimit: 1_440 });
    const set = loadConfig({ ...secret, SETLISTFM_API_KEY: 'key', SETLISTFM_RATE_PER_SECOND: '0.5', SETLISTFM_DAILY_LIMIT: '50000' });
    expect(set.matching.setlistfm).toMatchObject({ ratePerSecond: 0.5, dailyLimit: 50_000 });
    expect(() => loadConfig({ ...secret, SETLISTFM_RATE_PER_SECOND: '0' })).toThrow(/SETLISTFM_RATE_PER_SECOND/);
    expect(() => loadConfig({ ...secret, SETLISTFM_DAILY_LIMIT: '0' })).toThrow(/SETLISTFM_DAILY_LIMIT/);
  });

  it('rejects concurrency for an unknown queue or out of range', () => {
    expect(() => loadConfig({ WORKER_CONCURRENCY: 'nope=2' })).toThrow(/WORKER_CONCURRENCY/);
    expect(() => loadConfig({ WORKER_CONCURRENCY: 'photo=0' })).toThrow(/WORKER_CONCURRENCY/);
  });
});
