import { UnrecoverableError, type Job } from 'bullmq';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob, JobRegistry } from './job-registry.js';

const logger = pino({ level: 'silent' });
const echo = defineJob({
  queue: 'photo',
  name: 'echo',
  payload: z.object({ photoId: z.number().int().positive() }),
  handle: async ({ photoId }, { attempt }) => ({ photoId, attempt }),
});
const fakeJob = (name: string, data: unknown) => ({ name, data, id: 'job-1', attemptsMade: 1, opts: { attempts: 3 } }) as unknown as Job;

describe('JobRegistry', () => {
  it('refuses two handlers for one job', () => {
    expect(() => new JobRegistry([echo, { ...echo }])).toThrow('Two handlers are registered for job "photo/echo"');
  });

  it('dispatches a valid payload to its handler', async () => {
    const registry = new JobRegistry([echo]);
    expect(await registry.dispatch('photo', fakeJob('echo', { photoId: 3 }), logger)).toEqual({ photoId: 3, attempt: { number: 2, of: 3 } });
    expect(registry.jobsOf('photo')).toEqual(['echo']);
  });

  it('fails an invalid payload permanently with a clear reason', async () => {
    const registry = new JobRegistry([echo]);
    const failure = registry.dispatch('photo', fakeJob('echo', { photoId: 'x' }), logger);
    await expect(failure).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(failure).rejects.toThrow(/Invalid payload for job "echo": photoId:/);
  });

  it('fails a job nobody handles permanently, even on another queue with the same name', async () => {
    const registry = new JobRegistry([echo]);
    await expect(registry.dispatch('image', fakeJob('echo', { photoId: 1 }), logger)).rejects.toThrow(
      'No handler for job "echo" on queue "image"',
    );
  });
});
