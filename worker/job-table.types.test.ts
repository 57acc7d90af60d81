/**
 * The job table's promise, checked by the type-checker (`npm run typecheck`): a job
 * or queue name that is not in the table, a payload that does not fit its job, a
 * missing handler or one for an unknown job do not compile. Each `@ts-expect-error`
 * below fails the type-check if the line under it ever compiles.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JobQueues } from '../server/queue/queues.js';
import { done } from '../server/outcome.js';
import { job, JOBS, type JobPayload } from '../shared/jobs.js';
import type { JobHandler, JobHandlers } from './job-registry.js';

function typeChecks(queues: JobQueues, handlers: JobHandlers<typeof JOBS>) {
  // @ts-expect-error a job name that is not in the table
  void queues.add('scan-sorce', { scanId: 1, userId: 1, sourceId: 1 });
  // @ts-expect-error a payload that does not fit its job (no sourceId)
  void queues.add('scan-source', { scanId: 1, userId: 1 });
  // @ts-expect-error a job made by a scheduler takes its own payload too
  void queues.upsertScheduler('rescan-source', { userId: 1 }, '0 3 * * *');
  // @ts-expect-error a queue that does not exist
  job({ queue: 'photos', payload: z.object({}), retry: { attempts: 1 } });
  // @ts-expect-error an id made from a field the payload does not have
  job({ queue: 'photo', payload: z.object({ scanId: z.number() }), id: ({ photoId }) => `x-${photoId}`, retry: { attempts: 1 } });
  // @ts-expect-error a handler for a job that is not in the table
  const extra: JobHandlers<typeof JOBS> = { ...handlers, 'scan-sorce': { run: async () => done(1) } };
  const { 'send-mail': _sendMail, ...withoutSendMail } = handlers;
  // @ts-expect-error a job without a handler
  const missing: JobHandlers<typeof JOBS> = withoutSendMail;
  // @ts-expect-error a handler reading a field its job's payload does not have
  const wrongField: JobHandler<JobPayload<'ingest-photo'>> = { run: async (file) => done(file.eventKey) };
  return [extra, missing, wrongField];
}

describe('the job table', () => {
  it('is checked by the type-checker (see the @ts-expect-error lines above)', () => {
    expect(typeChecks).toBeTypeOf('function');
    expect(Object.keys(JOBS).length).toBeGreaterThan(0);
  });
});
