import { UnrecoverableError, type Job } from 'bullmq';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { done, failed, retryLater, skipped, type Outcome } from '../server/outcome.js';
import { job } from '../shared/jobs.js';
import { combineHandlers, JobRegistry, type Failure, type JobHandler } from './job-registry.js';

const logger = pino({ level: 'silent' });
const TABLE = {
  echo: job({
    queue: 'photo',
    payload: z.object({ photoId: z.number().int().positive() }),
    id: ({ photoId }) => `echo-${photoId}`,
    retry: { attempts: 3 },
  }),
};
const fakeJob = (name: string, data: unknown, attemptsMade = 1, attempts = 3) =>
  ({ name, data, id: 'job-1', attemptsMade, opts: { attempts } }) as unknown as Job;

/** A registry whose one handler returns `outcome` (or throws it) and records what it settled. */
function registryReturning(outcome: () => Promise<Outcome>, { settles = true } = {}) {
  const settled: Failure[] = [];
  const handler: JobHandler<{ photoId: number }> = { run: outcome };
  if (settles) handler.onFailed = async (_payload, failure) => void settled.push(failure);
  return { registry: new JobRegistry(TABLE, { echo: handler }), settled };
}

describe('JobRegistry', () => {
  it('refuses to start without a handler for every job of the table', () => {
    expect(() => new JobRegistry(TABLE, {} as never)).toThrow('No handler is registered for job "echo"');
  });

  it('refuses a handler for a job that is not in the table', () => {
    const handlers = { echo: { run: async () => done(1) }, ghost: { run: async () => done(2) } };
    expect(() => new JobRegistry(TABLE, handlers as never)).toThrow('A handler is registered for job "ghost", which is not in the job table');
  });

  it('refuses two handlers for one job when groups of handlers are joined', () => {
    const group = { echo: { run: async () => done(1) } };
    expect(() => combineHandlers<typeof TABLE>(group, { ...group })).toThrow('Two handlers are registered for job "echo"');
  });

  it('completes a job with the value of a done outcome, and lists the jobs of each queue', async () => {
    const registry = new JobRegistry(TABLE, { echo: { run: async ({ photoId }, { attempt }) => done({ photoId, attempt }) } });
    expect(await registry.dispatch('photo', fakeJob('echo', { photoId: 3 }), logger)).toEqual({ photoId: 3, attempt: { number: 2, of: 3 } });
    expect(registry.jobsOf('photo')).toEqual(['echo']);
    expect(registry.jobsOf('image')).toEqual([]);
  });

  it('completes a skipped job with its reason, and settles nothing', async () => {
    const { registry, settled } = registryReturning(async () => skipped('cancelled'));
    expect(await registry.dispatch('photo', fakeJob('echo', { photoId: 3 }), logger)).toEqual({ skipped: 'cancelled' });
    expect(settled).toEqual([]);
  });

  it('settles a refusal through onFailed at once, on the first attempt, and completes the job', async () => {
    const { registry, settled } = registryReturning(async () => failed('Not an image'));
    expect(await registry.dispatch('photo', fakeJob('echo', { photoId: 3 }, 0), logger)).toEqual({ failed: 'Not an image' });
    expect(settled).toEqual([{ reason: 'Not an image', cause: 'refused' }]);
  });

  it('fails a refusal for good when no onFailed settles it', async () => {
    const { registry } = registryReturning(async () => failed('Not an image'), { settles: false });
    await expect(registry.dispatch('photo', fakeJob('echo', { photoId: 3 }, 0), logger)).rejects.toBeInstanceOf(UnrecoverableError);
  });

  it('lets BullMQ retry an error before the last attempt, and settles it on the last', async () => {
    const { registry, settled } = registryReturning(async () => {
      throw new Error('ECONNRESET');
    });
    await expect(registry.dispatch('photo', fakeJob('echo', { photoId: 3 }, 1, 3), logger)).rejects.toThrow('ECONNRESET');
    expect(settled).toEqual([]);
    expect(await registry.dispatch('photo', fakeJob('echo', { photoId: 3 }, 2, 3), logger)).toEqual({
      failed: 'ECONNRESET (gave up after 3 attempts)',
    });
    expect(settled).toEqual([{ reason: 'ECONNRESET (gave up after 3 attempts)', cause: 'attempts' }]);
  });

  it('retries a "try again later" with backoff, and settles it on the last attempt', async () => {
    const { registry, settled } = registryReturning(async () => retryLater('Another worker holds the claim'));
    await expect(registry.dispatch('photo', fakeJob('echo', { photoId: 3 }, 0, 3), logger)).rejects.toThrow('Another worker holds the claim');
    expect(await registry.dispatch('photo', fakeJob('echo', { photoId: 3 }, 2, 3), logger)).toEqual({
      failed: 'Another worker holds the claim (gave up after 3 attempts)',
    });
    expect(settled).toHaveLength(1);
  });

  it('moves a job that should wait until a given time to the delayed set without using up an attempt', async () => {
    const at = new Date(Date.now() + 24 * 3600_000);
    const { registry, settled } = registryReturning(async () => retryLater('waiting for setlist.fm', at));
    const moved: Array<[number, string | undefined]> = [];
    const waiting = Object.assign(fakeJob('echo', { photoId: 3 }, 2, 3), {
      moveToDelayed: async (timestamp: number, token?: string) => void moved.push([timestamp, token]),
    });
    // BullMQ's DelayedError: the job is delayed, neither failed nor retried.
    await expect(registry.dispatch('photo', waiting, logger, 'lock-token')).rejects.toMatchObject({ name: 'DelayedError' });
    expect(moved).toEqual([[at.getTime(), 'lock-token']]);
    expect(settled).toEqual([]);
  });

  it('fails an invalid payload permanently with a clear reason', async () => {
    const { registry } = registryReturning(async () => done(1));
    const failure = registry.dispatch('photo', fakeJob('echo', { photoId: 'x' }), logger);
    await expect(failure).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(failure).rejects.toThrow(/Invalid payload for job "echo": photoId:/);
  });

  it('fails a job nobody handles permanently, even on another queue with the same name', async () => {
    const { registry } = registryReturning(async () => done(1));
    await expect(registry.dispatch('image', fakeJob('echo', { photoId: 1 }), logger)).rejects.toThrow('No handler for job "echo" on queue "image"');
  });

  it('settles a job BullMQ gave up on outside the handler (stalled too often) as interrupted', async () => {
    const { registry, settled } = registryReturning(async () => done(1));
    await registry.abandon('photo', fakeJob('echo', { photoId: 3 }), 'job stalled more than allowable limit', logger);
    expect(settled).toEqual([{ reason: 'Processing was interrupted too often (job stalled more than allowable limit)', cause: 'interrupted' }]);
  });
});
