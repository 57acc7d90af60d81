import { describe, expect, it } from 'vitest';
import { estimateScan, isTerminal } from './scan-progress.js';
import type { ScanProgress } from './scan.schema.js';

const progress = (overrides: Partial<ScanProgress> & { done?: number } = {}): ScanProgress => ({
  scanId: 1,
  status: 'running',
  stage: 'processing',
  counts: { listed: 100, processed: overrides.done ?? 20, failed: 0, duplicates: 0, matched: 0 },
  events: { total: 0, done: 0 },
  startedAt: 0,
  updatedAt: 10_000,
  ...overrides,
});

describe('estimateScan', () => {
  it('gives the rate so far and the time left at that rate', () => {
    expect(estimateScan(progress({ done: 20 }), 10_000)).toEqual({ photosPerSecond: 2, etaSeconds: 40 });
  });

  it('says nothing before the first photo is done', () => {
    expect(estimateScan(progress({ done: 0 }), 10_000)).toEqual({ photosPerSecond: null, etaSeconds: null });
  });

  it('is done when the scan is over', () => {
    expect(estimateScan(progress({ status: 'completed', stage: 'done', done: 100 }), 10_000).etaSeconds).toBe(0);
    expect(isTerminal('cancelled')).toBe(true);
    expect(isTerminal('running')).toBe(false);
  });
});
