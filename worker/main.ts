/** Entrypoint of a worker process: `npm run worker`, or `node dist/worker/main.js`. */
import { loadConfigOrExit } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { flushSentry, initSentry } from '../server/observability/sentry.js';
import { sweepDriveDownloads } from '../server/sources/google-drive/google-drive-source.js';
import { createWorkerRuntime } from './bootstrap.js';
import { JOBS } from '../shared/jobs.js';
import { jobHandlers } from './handlers.js';
import { JobRegistry } from './job-registry.js';
import { createWorkerMetrics } from './metrics.js';
import { closeOnSignals, startWorkers } from './runtime.js';
import { keepSchedules } from './schedule-keeper.js';

const config = loadConfigOrExit();
initSentry(config, 'worker');
const logger = createLogger(config, { role: 'worker' });
const runtime = createWorkerRuntime(config, logger);
const registry = new JobRegistry(JOBS, jobHandlers(runtime.services));
const metrics = createWorkerMetrics();
const workers = startWorkers(config, registry, logger, metrics);
const stopKeepingSchedules = keepSchedules(config, runtime.services, logger);
// What a killed worker's Drive downloads left in the temp folder.
void sweepDriveDownloads(60 * 60_000).then(
  (removed) => removed && logger.info({ removed }, 'removed Drive downloads left behind'),
  (error: unknown) => logger.warn({ err: error }, 'could not sweep Drive downloads'),
);
const metricsServer = config.worker.metricsPort === null ? null : await metrics.serve(config.worker.metricsPort, config.http.host);
closeOnSignals(async () => {
  metricsServer?.close();
  stopKeepingSchedules();
  await workers.close();
  await runtime.close();
  await flushSentry();
}, logger);
console.log(`Concert History worker is running for queues: ${config.worker.queues.join(', ')}`);
