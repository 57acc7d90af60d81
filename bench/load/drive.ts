/**
 * Drives a server with autocannon and keeps every answer's latency and status with
 * the time it came (autocannon's own summary has no p95), so a run can be cut into
 * phases (before, during and after a spike).
 */
import autocannon from 'autocannon';
import { percentile } from '../support.js';
import type { LoadRequest } from './traffic.js';

export interface Sample {
  /** ms since the run's start when the answer arrived. */
  at: number;
  ms: number;
  status: number;
}

export interface DriveResult {
  samples: Sample[];
  /** Connection errors and timeouts (no answer at all). */
  noAnswer: number;
  timeouts: number;
  bytes: number;
  seconds: number;
}

export interface DriveOptions {
  url: string;
  connections: number;
  seconds: number;
  /** Requests handed out in turn across all connections; none: a plain GET of `url`. */
  pool?: LoadRequest[];
  /** Shared clock of a run with several drivers. */
  t0?: number;
  /** Requests a second offered by all connections together (autocannon's overallRate); none: as fast as answered. */
  rate?: number;
}

export function drive({ url, connections, seconds, pool, t0 = performance.now(), rate }: DriveOptions): Promise<DriveResult> {
  const samples: Sample[] = [];
  let next = 0;
  const requests = pool
    ? [
        {
          setupRequest: (request: object) => {
            const { method, path, headers, body } = pool[next++ % pool.length]!;
            return { ...request, method, path, headers, ...(body === undefined ? {} : { body }) };
          },
        },
      ]
    : undefined;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, connections, duration: seconds, timeout: 10, ...(requests ? { requests } : {}), ...(rate ? { overallRate: rate } : {}) },
      (error, result) => {
        if (error) return reject(error);
        // autocannon counts a timeout in `errors` too.
        resolve({ samples, noAnswer: result.errors, timeouts: result.timeouts, bytes: result.throughput.total, seconds: result.duration });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      samples.push({ at: performance.now() - t0, ms, status });
    });
  });
}

export interface Figures {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Non-2xx answers plus requests with no answer. */
  errors: number;
  bytesPerAnswer: number;
}

export function figures(samples: Sample[], seconds: number, noAnswer = 0, bytes = 0): Figures {
  const times = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (p: number) => percentile(times, p);
  return {
    requests: samples.length,
    perSecond: samples.length / seconds,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: times.at(-1) ?? Number.NaN,
    errors: samples.filter((s) => s.status < 200 || s.status > 299).length + noAnswer,
    bytesPerAnswer: samples.length ? bytes / samples.length : 0,
  };
}
