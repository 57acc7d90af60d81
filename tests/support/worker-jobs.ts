/**
 * A worker's services and job layer in the test process, on a running test app's
 * core: tests run a job exactly as a worker would (payload validation, outcome,
 * last-attempt handling, what follows), without a worker process.
 */
import type { Job } from 'bullmq';
import { pino } from 'pino';
import type { JobInput, JobName } from '../../shared/jobs.js';
import { JOBS } from '../../shared/jobs.js';
import type { CoreServices } from '../../server/services/core.js';
import { jobHandlers } from '../../worker/handlers.js';
import { JobRegistry, type JobHandlers } from '../../worker/job-registry.js';
import { createWorkerServices, type WorkerServices } from '../../worker/services.js';

const built = new WeakMap<CoreServices, WorkerServices>();

/** The services a worker builds, on the same connections and pools as the test app (built once per app). */
export function workerServicesOf(app: { services: { core: CoreServices } }): WorkerServices {
  let services = built.get(app.services.core);
  if (!services) {
    services = createWorkerServices(app.services.core);
    built.set(app.services.core, services);
  }
  return services;
}

export interface JobRun {
  /** This run's attempt and how many the job has (default: the first of five). */
  attempt?: { number: number; of: number };
}

/**
 * Runs jobs through the real registry and handlers; `handlers` replaces some (a pipeline
 * whose hand-offs are recorded, say). Resolves with what the job completes with; rejects
 * with what BullMQ would retry (or fail) it for.
 */
export function jobRunner(services: WorkerServices, handlers: Partial<JobHandlers<typeof JOBS>> = {}) {
  const registry = new JobRegistry(JOBS, { ...jobHandlers(services), ...handlers });
  const logger = pino({ level: 'silent' });
  let runs = 0;
  return function run<Name extends JobName>(name: Name, payload: JobInput<Name>, { attempt = { number: 1, of: 5 } }: JobRun = {}) {
    runs += 1;
    const job = {
      name,
      data: payload,
      id: `test-${name}-${runs}`,
      attemptsMade: attempt.number - 1,
      opts: { attempts: attempt.of },
    } as unknown as Job;
    return registry.dispatch(JOBS[name].queue, job, logger);
  };
}
