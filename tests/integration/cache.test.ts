/**
 * The versioned read-through cache against the real Redis and MariaDB: reads served
 * from it, writes through the API making them fresh, one computation for many
 * concurrent misses (in one process and across two), other users untouched, and
 * reads that still work when the cache's Redis is gone.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VersionedCache } from '../../server/cache/versioned-cache.js';
import { waitForRedis } from '../../server/redis.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { signedUpClient } from '../support/trpc-http-client.js';
import { workerServicesOf } from '../support/worker-jobs.js';

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp(testEnv({ DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')) }));
});
afterAll(async () => {
  await app?.close();
});

const tag = `t${process.pid.toString(36)}${Date.now().toString(36)}`;
let prefixCounter = 0;
const freshPrefix = () => `cache-test-${tag}-${++prefixCounter}`;

const newUser = (label = 'cache') => signedUpClient(app.url, label);

/** Loader calls per cache name, as the hit/miss hook of the app's view cache counts them. */
const counts = (name: string) => ({ hits: 0, misses: 0, ...app.services.viewCache.counts.get(name) });

/** A client of a Redis that is not there (nothing listens on port 1): every command fails at once. */
function deadRedis() {
  const dead = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  dead.on('error', () => {});
  return dead;
}

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe('the view cache', () => {
  it('serves a second read of a concert from the cache', async () => {
    const { client } = await newUser();
    const { id } = await client.concerts.create.mutate({ date: '2019-07-05', artist: { artistName: `Cached ${tag}` }, notes: 'first' });
    const before = counts('wire:concerts.get');
    const first = await client.concerts.get.query({ id });
    const second = await client.concerts.get.query({ id });
    expect(second).toEqual(first);
    expect(counts('wire:concerts.get')).toEqual({ hits: before.hits + 1, misses: before.misses + 1 });
  });

  it('answers fresh after a write through the API', async () => {
    const { client } = await newUser();
    const { id } = await client.concerts.create.mutate({ date: '2019-07-06', artist: { artistName: `Edited ${tag}` }, notes: 'before' });
    expect((await client.concerts.get.query({ id })).notes).toBe('before');
    const listed = await client.concerts.list.query({});
    expect(listed.items.map((item) => item.id)).toEqual([id]);

    await client.concerts.update.mutate({ id, notes: 'after' });
    expect((await client.concerts.get.query({ id })).notes).toBe('after');

    await client.concerts.delete.mutate({ id });
    expect((await client.concerts.list.query({})).items).toEqual([]);
  });

  it('caches the scan history and the inbox counts, and a scan start or any write makes them fresh', async () => {
    const { client } = await newUser('scans');
    const folder = join(app.config.dataDir, 'libraries', `empty-${tag}`);
    await mkdir(folder, { recursive: true });
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: folder });
    expect(await client.scans.list.query({})).toEqual([]);
    const scansBefore = counts('scans.list');
    expect(await client.scans.list.query({})).toEqual([]);
    expect(counts('scans.list')).toEqual({ hits: scansBefore.hits + 1, misses: scansBefore.misses });

    const { scanId } = await client.scans.start.mutate({ sourceId });
    expect((await client.scans.list.query({})).map((scan) => scan.id)).toEqual([scanId]);

    const inbox = await client.inbox.list.query({});
    const inboxBefore = counts('inbox.list');
    expect(await client.inbox.list.query({})).toEqual(inbox);
    expect(counts('inbox.list')).toEqual({ hits: inboxBefore.hits + 1, misses: inboxBefore.misses });
    await client.concerts.create.mutate({ date: '2019-07-08', artist: { artistName: `Inbox ${tag}` } });
    await client.inbox.list.query({});
    expect(counts('inbox.list')).toEqual({ hits: inboxBefore.hits + 1, misses: inboxBefore.misses + 1 });
  });

  it('goes stale when the worker puts photos into concerts', async () => {
    const { client, user } = await newUser('worker');
    await client.concerts.list.query({});
    const before = counts('wire:concerts.list');
    // Grouping and matching call this right after linking photos; a scan of nobody's is enough here.
    await workerServicesOf(app).pipeline.scanLifecycle.refreshMatched({ userId: user.id, scanId: 2_000_000_000 });
    await client.concerts.list.query({});
    expect(counts('wire:concerts.list')).toEqual({ hits: before.hits, misses: before.misses + 1 });
  });

  it("leaves another user's cached views in place when one user writes", async () => {
    const writer = await newUser('writer');
    const reader = await newUser('reader');
    await reader.client.concerts.list.query({});
    const readerVersions = () => app.redis.hgetall(app.services.viewCache.versions.key(reader.user.id));
    const versionsBefore = await readerVersions();

    await writer.client.concerts.create.mutate({ date: '2019-07-07', artist: { artistName: `Other ${tag}` } });
    const before = counts('wire:concerts.list');
    await reader.client.concerts.list.query({});
    expect(counts('wire:concerts.list')).toEqual({ hits: before.hits + 1, misses: before.misses });
    expect(await readerVersions()).toEqual(versionsBefore);
  });

  it('computes 20 concurrent misses of one key once', async () => {
    const cache = new VersionedCache(app.redis, { keyPrefix: freshPrefix() });
    const gate = deferred();
    let loads = 0;
    const load = async () => {
      loads += 1;
      await gate.promise;
      return { at: new Date('2019-07-05T19:00:00Z'), n: 42 };
    };
    const reads = Array.from({ length: 20 }, () => cache.forUser(7, 'concurrent', { page: 1 }, 60, load));
    gate.release();
    const values = await Promise.all(reads);
    expect(loads).toBe(1);
    // superjson keeps Dates as Dates.
    for (const value of values) expect(value).toEqual({ at: new Date('2019-07-05T19:00:00Z'), n: 42 });
    expect(await cache.forUser(7, 'concurrent', { page: 1 }, 60, load)).toEqual({ at: new Date('2019-07-05T19:00:00Z'), n: 42 });
    expect(loads).toBe(1);
  });

  it('computes concurrent misses once across two processes sharing Redis', async () => {
    const keyPrefix = freshPrefix();
    const other = new Redis(app.redis.options);
    try {
      // Like the app's request-path Redis it fails fast: a command before it is connected would fail, not wait.
      await waitForRedis(other);
      const a = new VersionedCache(app.redis, { keyPrefix, pollMs: 5 });
      const b = new VersionedCache(other, { keyPrefix, pollMs: 5 });
      const gate = deferred();
      let loads = 0;
      const load = async () => {
        loads += 1;
        await gate.promise;
        return ['shared answer'];
      };
      const first = a.shared('across', 'q', 60, load);
      // Its loader runs only once it holds the Redis lock; then the others ask.
      while (loads === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      const rest = Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).shared('across', 'q', 60, load));
      gate.release();
      expect(await Promise.all([first, ...rest])).toEqual(Array.from({ length: 11 }, () => ['shared answer']));
      expect(loads).toBe(1);
    } finally {
      other.disconnect();
    }
  });

  it("bumps only the writer's versions", async () => {
    const cache = new VersionedCache(app.redis, { keyPrefix: freshPrefix() });
    let loadsOfA = 0;
    let loadsOfB = 0;
    await cache.forUser(1, 'view', null, 60, async () => ++loadsOfA);
    await cache.forUser(2, 'view', null, 60, async () => ++loadsOfB);
    await cache.bumpUser(1);
    expect(await cache.forUser(1, 'view', null, 60, async () => ++loadsOfA)).toBe(2);
    expect(await cache.forUser(2, 'view', null, 60, async () => ++loadsOfB)).toBe(1);
    expect([loadsOfA, loadsOfB]).toEqual([2, 1]);
  });

  it('still answers, uncached, when its Redis is down', async () => {
    const dead = deadRedis();
    const warnings: unknown[] = [];
    const misses: string[] = [];
    try {
      const cache = new VersionedCache(dead, {
        keyPrefix: freshPrefix(),
        logger: { warn: (...args: unknown[]) => warnings.push(args) },
        events: { onMiss: (name) => misses.push(name) },
      });
      let loads = 0;
      expect(await cache.forUser(3, 'down', null, 60, async () => ++loads)).toBe(1);
      expect(await cache.forUser(3, 'down', null, 60, async () => ++loads)).toBe(2);
      expect(await cache.shared('down-shared', 'q', 60, async () => 'still here')).toBe('still here');
      await expect(cache.bumpUser(3)).resolves.toBeUndefined();
      expect(misses).toEqual(['down', 'down', 'down-shared']);
      expect(warnings.length).toBeGreaterThanOrEqual(4);
    } finally {
      dead.disconnect();
    }
  });

  it('keeps answering the API when the view cache fails', async () => {
    const { client } = await newUser('down');
    const { id } = await client.concerts.create.mutate({ date: '2019-07-08', artist: { artistName: `Down ${tag}` }, notes: 'ok' });
    const cache = app.services.viewCache as unknown as { redis: Redis };
    const real = cache.redis;
    const dead = deadRedis();
    cache.redis = dead;
    try {
      expect((await client.concerts.get.query({ id })).notes).toBe('ok');
      await client.concerts.update.mutate({ id, notes: 'still ok' });
      expect((await client.concerts.get.query({ id })).notes).toBe('still ok');
    } finally {
      cache.redis = real;
      dead.disconnect();
    }
  });
});
