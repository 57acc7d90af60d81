/** Pure arithmetic of the data benchmark: latency summaries and the growth exponent of a timing. */
import { percentile } from '../support.js';

export interface LatencySummary {
  runs: number;
  p50: number;
  p95: number;
  max: number;
}

/** p50, p95 and max of a list of durations (ms), by the nearest-rank rule the other benchmarks use. */
export function summarize(durations: readonly number[]): LatencySummary {
  const sorted = [...durations].sort((a, b) => a - b);
  return { runs: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? Number.NaN };
}

/**
 * k in t ∝ n^k, from two measurements: log(t2/t1) / log(n2/n1). Linear work gives
 * 1, all-pairs comparison 2; below 2 is sub-quadratic over that range.
 */
export function growthExponent(small: { n: number; seconds: number }, large: { n: number; seconds: number }): number {
  if (small.n <= 0 || large.n <= small.n) throw new RangeError('The larger size must exceed the smaller one');
  if (small.seconds <= 0 || large.seconds <= 0) throw new RangeError('Times must be positive');
  return Math.log(large.seconds / small.seconds) / Math.log(large.n / small.n);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
