/**
 * Redis restarts during a scan (a deploy, a failover): the web app and the worker
 * run on a Redis of this file's own, which is stopped for a second or two, twice,
 * while photos are being ingested. Its append-only file keeps the queues and the
 * scan's counters; ioredis reconnects and BullMQ resumes, and the scan still
 * records every photo exactly once.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Child } from '../support/child-process.js';
import { startPrivateRedis } from '../support/private-redis.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';
import { expectExactlyOnce, signUpAndAddLibrary, sleep, waitForDone, waitForEnd, writeFaultLibrary, type FaultLibrary } from './fault-scan.js';

let library: FaultLibrary;
let redisServer: Awaited<ReturnType<typeof startPrivateRedis>>;
let app: RunningApp;
let worker: Child;

beforeAll(async () => {
  library = await writeFaultLibrary('redis', { photos: 96, copies: 4, seed: 2_000 });
  redisServer = await startPrivateRedis();
  const env = testEnv({
    REDIS_URL: redisServer.url,
    LOCAL_IMPORT_ROOTS: library.root,
    DATA_DIR: library.dataDir,
    RATE_LIMIT_API_PER_MIN: '0',
    WORKER_LOCK_DURATION_MS: '2000',
    WORKER_CONCURRENCY: 'photo=2',
  });
  app = await startTestApp(env);
  worker = await startWorkerProcess(env);
}, 240_000);
afterAll(async () => {
  await redisServer?.start().catch(() => {});
  if (worker) await stop(worker);
  await app?.close();
  await redisServer?.stop();
  if (library) await rm(library.root, { recursive: true, force: true });
});

describe('Redis restarted during a scan', () => {
  it('a scan whose Redis is stopped and started again twice completes with every photo exactly once', async () => {
    const { client, user, sourceId } = await signUpAndAddLibrary(app, library.folder);
    const { scanId } = await client.scans.start.mutate({ sourceId });
    const files = library.expected.files;

    for (const [share, outageMs] of [
      [0.2, 1_500],
      [0.6, 2_500],
    ] as const) {
      const progress = await waitForDone(client, scanId, Math.floor(files * share));
      expect(progress.status).toBe('running');
      await redisServer.stop();
      await sleep(outageMs);
      // The worker waits for Redis; it does not crash.
      expect(worker.process.exitCode).toBeNull();
      await redisServer.start();
    }

    await waitForEnd(client, scanId);
    expect(worker.process.exitCode).toBeNull();
    await expectExactlyOnce(app, { client, userId: user.id, sourceId, scanId }, library);
  }, 240_000);
});
