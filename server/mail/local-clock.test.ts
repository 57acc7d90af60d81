import { describe, expect, it } from 'vitest';
import { localClock } from './local-clock.js';

describe('localClock', () => {
  const instant = new Date('2024-06-30T22:30:00Z');

  it('reads the date and hour where the user lives', () => {
    expect(localClock('Europe/Amsterdam', instant)).toMatchObject({ date: '2024-07-01', month: 7, day: 1, hour: 0 });
    expect(localClock('America/Los_Angeles', instant)).toMatchObject({ date: '2024-06-30', hour: 15 });
  });

  it('falls back to UTC without a zone or with an unknown one', () => {
    expect(localClock(null, instant)).toMatchObject({ timeZone: 'UTC', date: '2024-06-30', hour: 22 });
    expect(localClock('Mars/Olympus_Mons', instant)).toMatchObject({ timeZone: 'UTC', hour: 22 });
  });
});
