import type { AppConfig } from '../server/config.js';
import type { Logger } from '../server/logger.js';
import type { WorkerServices } from './services.js';
import { RECONCILE_INTERVAL_MS } from '../server/services/rescan-schedule.service.js';

/**
 * Job schedulers live in Redis; the database says which should exist. A worker of
 * the `schedule` queue makes Redis match it when it starts and every hour after, so
 * schedules come back by themselves after Redis lost its data (a restart without
 * persistence, a failover to an empty replica). Idempotent: any number of workers
 * may do it at once.
 */
export function keepSchedules(config: AppConfig, services: Pick<WorkerServices, 'onThisDay' | 'rescanSchedules'>, logger: Logger): () => void {
  if (!config.worker.queues.includes('schedule')) return () => {};
  let running = false;
  const keep = async () => {
    if (running) return;
    running = true;
    try {
      await services.onThisDay.ensureScheduled();
      await services.rescanSchedules.reconcile(logger);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'could not reconcile the job schedulers; trying again later');
    } finally {
      running = false;
    }
  };
  void keep();
  const timer = setInterval(() => void keep(), RECONCILE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
