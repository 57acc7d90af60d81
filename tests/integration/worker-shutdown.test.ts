import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullPrefix } from '../../server/queue/bullmq-options.js';
import { spawnTs, stop, waitForOutput } from '../support/child-process.js';
import { testConfig, testEnv } from '../support/test-env.js';

describe('worker process', () => {
  const config = testConfig();
  let redis: Redis;
  let queue: Queue;
  beforeAll(() => {
    redis = new Redis(config.redis.url);
    queue = new Queue('scan', { connection: redis, prefix: bullPrefix(config) });
  });
  afterAll(async () => {
    await queue.close();
    redis.disconnect();
  });

  it('on SIGTERM finishes the job in flight, then exits 0 with nothing stalled or lost', async () => {
    const worker = spawnTs('tests/fixtures/slow-job-worker.ts', testEnv({ WORKER_QUEUES: 'scan' }));
    await waitForOutput(worker, /test worker ready/);
    const marker = `m${Date.now()}`;
    const job = await queue.add('slow-test-job', { durationMs: 1_500, marker }, { jobId: `slow-${marker}` });
    const key = (step: string) => `${config.redis.keyPrefix}:test:${marker}:${step}`;
    while (!(await redis.exists(key('started')))) await new Promise((resolve) => setTimeout(resolve, 25));

    expect(await stop(worker, 'SIGTERM')).toBe(0);

    expect(await redis.exists(key('finished'))).toBe(1);
    expect(await (await queue.getJob(job.id!))?.getState()).toBe('completed');
    expect(await queue.getActiveCount()).toBe(0);
    expect(await queue.getWaitingCount()).toBe(0);
  });

  it('refuses to start with an unknown queue and names it', async () => {
    const worker = spawnTs('worker/main.ts', testEnv({ WORKER_QUEUES: 'scan,nonsense' }));
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toContain('WORKER_QUEUES: unknown queue "nonsense"');
  });

  it('serves only the configured queues', async () => {
    const worker = spawnTs('worker/main.ts', testEnv({ WORKER_QUEUES: 'photo,image', LOG_LEVEL: 'info' }));
    await waitForOutput(worker, /worker is running for queues: photo, image/);
    expect(worker.output()).not.toMatch(/"queue":"scan"/);
    expect(await stop(worker)).toBe(0);
  });
});
