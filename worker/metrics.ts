/**
 * A worker process's own metrics: how long jobs take and how they end, per queue
 * and job name, served on WORKER_METRICS_PORT for Prometheus (queue depths are
 * exported by the web servers, which read them from Redis).
 */
import { createServer, type Server } from 'node:http';
import type { Job, Worker } from 'bullmq';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export function createWorkerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const jobDuration = new Histogram({
    name: 'bullmq_job_duration_seconds',
    help: 'Job run time from start to completion or failure, per queue, job and outcome',
    labelNames: ['queue', 'job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });

  const observe = (queue: string, job: Job | undefined, outcome: 'completed' | 'failed') => {
    if (!job?.processedOn) return;
    const finishedOn = job.finishedOn ?? Date.now();
    jobDuration.observe({ queue, job: job.name, outcome }, Math.max(finishedOn - job.processedOn, 0) / 1000);
  };

  return {
    registry,
    watch(queue: string, worker: Worker) {
      worker.on('completed', (job) => observe(queue, job, 'completed'));
      worker.on('failed', (job) => observe(queue, job, 'failed'));
    },
    /** GET /metrics on its own port; resolves once listening. */
    async serve(port: number, host: string): Promise<Server> {
      const server = createServer((req, res) => {
        if (req.method !== 'GET' || req.url !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        registry.metrics().then(
          (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
          () => res.writeHead(500).end(),
        );
      });
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      return server;
    },
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
