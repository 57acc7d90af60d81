import { describe, expect, it } from 'vitest';
import { rescanPattern } from './rescan-schedule-pattern.js';

describe('rescanPattern', () => {
  it('gives one source the same pattern every time, so two servers upsert one schedule', () => {
    expect(rescanPattern('daily', 7, 42)).toBe(rescanPattern('daily', 7, 42));
  });

  it('runs daily schedules once a day and weekly ones on one weekday, in the small hours UTC', () => {
    for (let sourceId = 1; sourceId < 200; sourceId++) {
      const [minute, hour, dayOfMonth, month, weekday] = rescanPattern('weekly', 3, sourceId).split(' ');
      expect(Number(minute)).toBeGreaterThanOrEqual(0);
      expect(Number(minute)).toBeLessThan(60);
      expect(Number(hour)).toBeGreaterThanOrEqual(1);
      expect(Number(hour)).toBeLessThanOrEqual(5);
      expect([dayOfMonth, month]).toEqual(['*', '*']);
      expect(Number(weekday)).toBeLessThan(7);
      expect(rescanPattern('daily', 3, sourceId)).toMatch(/^\d+ \d \* \* \*$/);
    }
  });

  it('spreads many sources over different minutes', () => {
    const minutes = new Set(Array.from({ length: 300 }, (_, i) => rescanPattern('daily', 1, i + 1).split(' ')[0]));
    expect(minutes.size).toBeGreaterThan(40);
  });
});
