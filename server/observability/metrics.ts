/**
 * Prometheus metrics of a web process (GET /metrics): request latency per route and
 * per tRPC procedure, errors, queue depths per state (read from Redis at scrape
 * time, so every web server reports the same shared queues), database pool use,
 * and the process defaults (memory, CPU, event loop). Names match the dashboards
 * and alert rules in deploy/ (docs/operations.md lists them).
 */
import type { RequestHandler } from 'express';
import type { Pool } from 'mysql2/promise';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QUEUE_NAMES } from '../../shared/queues.js';
import type { JobQueues } from '../queue/queues.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5];
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

export interface MetricsSources {
  queues: JobQueues;
  /** mysql2's pool; its connection lists are read at scrape time. */
  pool: Pool;
  poolSize: number;
  /** The view cache's running hit and miss counts per cached view (server/cache/versioned-cache.ts). */
  cacheCounts: ReadonlyMap<string, { hits: number; misses: number }>;
}

export function createMetrics({ queues, pool, poolSize, cacheCounts }: MetricsSources) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status class',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const trpcDuration = new Histogram({
    name: 'trpc_procedure_duration_seconds',
    help: 'tRPC call latency by procedure (a batched HTTP request counts once per procedure in it)',
    labelNames: ['procedure', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const httpErrors = new Counter({
    name: 'http_errors_total',
    help: 'HTTP responses with a 5xx status, by route',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'bullmq_queue_jobs',
    help: 'Jobs per queue and state, as Redis holds them now',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      const counts = await Promise.all(QUEUE_NAMES.map((name) => queues.queue(name).getJobCounts(...QUEUE_STATES)));
      QUEUE_NAMES.forEach((queue, i) => {
        for (const state of QUEUE_STATES) this.set({ queue, state }, counts[i]![state] ?? 0);
      });
    },
  });
  new Counter({
    name: 'cache_requests_total',
    help: 'View cache reads by cached view and result (hit or miss), since the process started',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
    collect() {
      // Read from the cache's own counters at scrape time, so the cache needs no metrics dependency.
      this.reset();
      for (const [cache, { hits, misses }] of cacheCounts) {
        this.inc({ cache, result: 'hit' }, hits);
        this.inc({ cache, result: 'miss' }, misses);
      }
    },
  });
  new Gauge({
    name: 'db_pool_connections',
    help: 'Primary database pool connections by state (in use, idle, max)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      // mysql2 exposes no counters; the callback pool under the promise one keeps its connection lists.
      const internals = (pool as unknown as { pool?: { _allConnections?: { length: number }; _freeConnections?: { length: number } } }).pool ?? {};
      const all = internals._allConnections?.length ?? 0;
      const free = internals._freeConnections?.length ?? 0;
      this.set({ state: 'used' }, all - free);
      this.set({ state: 'idle' }, free);
      this.set({ state: 'max' }, poolSize);
    },
  });

  /** Times every request; tRPC requests also per procedure (`/trpc/a.b,c.d` is a batch of two). */
  const middleware: RequestHandler = (req, res, next) => {
    const startedAt = performance.now();
    res.on('finish', () => {
      const seconds = (performance.now() - startedAt) / 1000;
      const status = `${Math.floor(res.statusCode / 100)}xx`;
      const route = routeLabel(req.baseUrl + req.path);
      httpDuration.observe({ method: req.method, route, status }, seconds);
      if (res.statusCode >= 500) httpErrors.inc({ route });
      if (route === '/trpc') {
        for (const procedure of procedureNames(req.path)) trpcDuration.observe({ procedure, status }, seconds);
      }
    });
    next();
  };

  return { registry, middleware };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Few, fixed route labels: ids and keys in paths would make every URL its own series. */
function routeLabel(path: string): string {
  if (path.startsWith('/trpc')) return '/trpc';
  if (path.startsWith('/media/')) return '/media';
  if (path.startsWith('/api/')) return path.split('/').slice(0, 3).join('/');
  return path === '/metrics' ? '/metrics' : 'other';
}

function procedureNames(path: string): string[] {
  const names = path.replace(/^\/(trpc\/)?/, '').split(',');
  return names.filter((name) => /^[A-Za-z]+(\.[A-Za-z]+)+$/.test(name));
}
