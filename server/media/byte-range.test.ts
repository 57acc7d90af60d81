import { describe, expect, it } from 'vitest';
import { parseRange } from './byte-range.js';

describe('one byte range a request', () => {
  it('serves a range, an open-ended range and a suffix, clamped to the end of the object', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ kind: 'range', range: { start: 0, end: 99 } });
    expect(parseRange('bytes=900-', 1000)).toEqual({ kind: 'range', range: { start: 900, end: 999 } });
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'range', range: { start: 900, end: 999 } });
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ kind: 'range', range: { start: 990, end: 999 } });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'range', range: { start: 0, end: 999 } });
  });

  it('refuses a range past the end, an empty suffix and several ranges (416)', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-1,5-6', 1000)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores what is not a byte range: the whole object (200)', () => {
    for (const header of [undefined, '', 'items=0-1', 'bytes=5-2', 'bytes=-', 'bytes=a-b', `bytes=0-${'9'.repeat(300)}`, 'bytes=1e3-']) {
      expect(parseRange(header, 1000), String(header)).toEqual({ kind: 'whole' });
    }
  });
});
