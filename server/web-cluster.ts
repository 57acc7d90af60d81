/**
 * Several web processes on one machine, sharing one port (node:cluster: the primary
 * accepts connections and hands them to the processes in turn). The processes are
 * the same stateless web server; the primary only starts them, starts a new one when
 * one dies, and on SIGTERM passes it on and waits for every process to drain.
 */
import cluster, { type Worker } from 'node:cluster';
import type { AppConfig } from './config.js';
import { createLogger } from './logger.js';
import { serveClusterMetrics } from './observability/cluster-metrics.js';
import { listeningLine } from './web-server.js';

/** A process that dies this soon after starting is restarted after a growing pause, not at once. */
const HEALTHY_AFTER_MS = 10_000;
const MAX_RESTART_DELAY_MS = 30_000;

export function runWebCluster(config: AppConfig): void {
  const logger = createLogger(config, { role: 'web-primary' });
  const startedAt = new Map<Worker, number>();
  let restartDelayMs = 500;
  let shuttingDown = false;
  let announced = false;

  const start = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    worker.on('listening', (address) => {
      if (announced) return;
      announced = true;
      console.log(listeningLine(config, address.port));
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (shuttingDown) {
      if (!startedAt.size) {
        logger.info('every web process stopped');
        process.exit(0);
      }
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal, livedMs: lived }, 'a web process died; starting another');
    restartDelayMs = lived > HEALTHY_AFTER_MS ? 500 : Math.min(restartDelayMs * 2, MAX_RESTART_DELAY_MS);
    setTimeout(start, restartDelayMs).unref();
  });

  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal, processes: startedAt.size }, 'shutting down the web processes');
    if (!startedAt.size) process.exit(0);
    for (const worker of startedAt.keys()) worker.process.kill(signal);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  serveClusterMetrics();
  logger.info({ processes: config.http.processes }, 'starting web processes');
  for (let i = 0; i < config.http.processes; i++) start();
}
