import { describe, expect, it } from 'vitest';
import { festivalDates, festivalDay } from './format.js';

describe('festival dates', () => {
  it('read as one range over the days, or as the one day', () => {
    expect(festivalDates('2023-07-21', '2023-07-22', 'en-US')).toMatch(/^Jul 21\s*–\s*22, 2023$/);
    expect(festivalDates('2023-06-30', '2023-07-02', 'en-US')).toMatch(/^Jun 30\s*–\s*Jul 2, 2023$/);
    expect(festivalDates('2023-07-21', '2023-07-21', 'en-US')).toBe('Fri, Jul 21, 2023');
  });

  it('name a day by its weekday, never moved by the zone', () => {
    expect(festivalDay('2023-07-22', 'en-US')).toBe('Sat, Jul 22');
  });
});
