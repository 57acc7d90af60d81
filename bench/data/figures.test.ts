import { describe, expect, it } from 'vitest';
import { growthExponent, median, summarize } from './figures.js';

describe('the data benchmark figures', () => {
  it('summarizes durations by nearest rank, whatever their order', () => {
    const durations = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(summarize(durations)).toEqual({ runs: 200, p50: 101, p95: 191, max: 200 });
  });

  it('gives 1 for linear growth and 2 for quadratic growth', () => {
    expect(growthExponent({ n: 25_000, seconds: 1 }, { n: 100_000, seconds: 4 })).toBeCloseTo(1, 10);
    expect(growthExponent({ n: 25_000, seconds: 1 }, { n: 100_000, seconds: 16 })).toBeCloseTo(2, 10);
    expect(growthExponent({ n: 10, seconds: 2 }, { n: 40, seconds: 2 })).toBe(0);
  });

  it('refuses sizes that do not grow and times that are not positive', () => {
    expect(() => growthExponent({ n: 100, seconds: 1 }, { n: 100, seconds: 2 })).toThrow(RangeError);
    expect(() => growthExponent({ n: 100, seconds: 0 }, { n: 200, seconds: 2 })).toThrow(RangeError);
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
