/**
 * Prometheus metrics of a web process (GET /metrics): request latency per route and
 * per tRPC procedure, errors, queue depths per state (read from Redis at scrape
 * time, so every web server reports the same shared queues), database pool use,
 * and the process defaults (memory, CPU, event loop). Names match the dashboards
 * and alert rules in deploy/ (docs/operations.md lists them).
 */
import type { RequestHandler } from 'express';
import type { PoolUsage } from '../db/client.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QUEUE_NAMES } from '../../shared/queues.js';
import { metricsText } from './cluster-metrics.js';
import type { JobQueues } from '../queue/queues.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5];
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;
/** Queue depths come from the queue Redis, whose connection waits while Redis is away: a scrape does not. */
const QUEUE_COUNTS_TIMEOUT_MS = 1_500;

/**
 * The route label of a request: the mount point of the routes that answer it. Every
 * other path is the client (the single-page app and its files) when something
 * answered it, else "unmatched": a label is never built from what a caller sent,
 * so anonymous requests cannot add series.
 */
const ROUTES = [
  '/trpc',
  '/media',
  '/metrics',
  '/api/health',
  '/api/ready',
  '/api/uploads',
  '/api/export',
  '/api/playlists',
  '/api/unsubscribe',
  '/api/sources/google',
  '/admin/queues',
] as const;
export const UNMATCHED = 'unmatched';

export interface MetricsSources {
  queues: JobQueues;
  /** The primary pool's connections, counted from its events (server/db/client.ts). */
  poolUsage: PoolUsage;
  poolSize: number;
  /** The view cache's running hit and miss counts per cached view (server/cache/versioned-cache.ts). */
  cacheCounts: ReadonlyMap<string, { hits: number; misses: number }>;
}

export function createMetrics({ queues, poolUsage, poolSize, cacheCounts }: MetricsSources) {
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
    // Every web process reads the same queues: across processes, one reading, not their sum.
    aggregator: 'first',
    async collect() {
      const counts = await withTimeout(
        Promise.all(QUEUE_NAMES.map((name) => queues.queue(name).getJobCounts(...QUEUE_STATES))),
        QUEUE_COUNTS_TIMEOUT_MS,
      ).catch(() => null);
      // Queue Redis unreachable: no queue series rather than stale ones (alert on their absence).
      this.reset();
      if (!counts) return;
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
      const used = poolUsage.inUse();
      this.set({ state: 'used' }, used);
      this.set({ state: 'idle' }, Math.max(poolUsage.open() - used, 0));
      this.set({ state: 'max' }, poolSize);
    },
  });

  /**
   * Times every request; tRPC requests also per procedure (`/trpc/a.b,c.d` is a batch of two),
   * labelled only with names in `knownProcedures` (the router's), anything else as "unmatched".
   */
  const middleware =
    (knownProcedures: ReadonlySet<string>): RequestHandler =>
    (req, res, next) => {
      const startedAt = performance.now();
      res.on('finish', () => {
        const seconds = (performance.now() - startedAt) / 1000;
        const status = `${Math.floor(res.statusCode / 100)}xx`;
        // originalUrl: routers strip their mount point from req.url while they handle the request.
        const path = pathOf(req.originalUrl);
        const route = routeLabel(path, res.statusCode);
        httpDuration.observe({ method: methodLabel(req.method), route, status }, seconds);
        if (res.statusCode >= 500) httpErrors.inc({ route });
        if (route === '/trpc') {
          for (const procedure of procedureNames(path, knownProcedures)) trpcDuration.observe({ procedure, status }, seconds);
        }
      });
      next();
    };

  return { registry, middleware, text: metricsText(registry) };
}

export type Metrics = ReturnType<typeof createMetrics>;

function routeLabel(path: string, statusCode: number): string {
  const route = ROUTES.find((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  if (route) return route;
  return statusCode === 404 ? UNMATCHED : 'client';
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const methodLabel = (method: string) => (METHODS.has(method) ? method : 'other');

function pathOf(url: string): string {
  const path = url.split('?')[0]!;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Each known procedure of the call, and "unmatched" once for whatever else the path names. */
function procedureNames(path: string, known: ReadonlySet<string>): string[] {
  const names = path.replace(/^\/trpc\/?/, '').split(',');
  const matched = names.filter((name) => known.has(name));
  return matched.length < names.length ? [...matched, UNMATCHED] : matched;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
