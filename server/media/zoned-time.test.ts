import { describe, expect, it } from 'vitest';
import { wallTimeAsUtc, zonedWallTimeToInstant, zoneOffsetAt, type WallTime } from './zoned-time.js';

const wall = (iso: string): WallTime => {
  const d = new Date(`${iso}Z`);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
};
const instant = (iso: string, zone: string) => zonedWallTimeToInstant(wall(iso), zone).toISOString();

describe('zonedWallTimeToInstant', () => {
  it('reads a summer evening in Amsterdam as UTC+2 and a winter one as UTC+1', () => {
    expect(instant('2019-07-05T21:34:56.120', 'Europe/Amsterdam')).toBe('2019-07-05T19:34:56.120Z');
    expect(instant('2019-12-05T21:34:56', 'Europe/Amsterdam')).toBe('2019-12-05T20:34:56.000Z');
  });

  it('reads times west of Greenwich and in the southern hemisphere', () => {
    expect(instant('2018-10-12T23:50:00', 'America/Los_Angeles')).toBe('2018-10-13T06:50:00.000Z');
    expect(instant('2018-07-12T21:00:00', 'Australia/Sydney')).toBe('2018-07-12T11:00:00.000Z');
    expect(instant('2018-01-12T21:00:00', 'Australia/Sydney')).toBe('2018-01-12T10:00:00.000Z');
  });

  it('handles half- and quarter-hour zones', () => {
    expect(instant('2020-02-01T20:00:00', 'Asia/Kolkata')).toBe('2020-02-01T14:30:00.000Z');
    expect(instant('2020-02-01T20:00:00', 'Asia/Kathmandu')).toBe('2020-02-01T14:15:00.000Z');
  });

  it('reads a time that never happened (clocks jumped forward) with the offset before the jump', () => {
    // 2021-03-28 02:30 does not exist in Amsterdam: it is 03:30 CEST, 01:30 UTC.
    expect(instant('2021-03-28T02:30:00', 'Europe/Amsterdam')).toBe('2021-03-28T01:30:00.000Z');
    expect(instant('2021-03-14T02:30:00', 'America/New_York')).toBe('2021-03-14T07:30:00.000Z');
  });

  it('reads a time that happened twice (clocks turned back) as the first occurrence', () => {
    expect(instant('2021-10-31T02:30:00', 'Europe/Amsterdam')).toBe('2021-10-31T00:30:00.000Z');
    expect(instant('2021-11-07T01:30:00', 'America/New_York')).toBe('2021-11-07T05:30:00.000Z');
  });

  it('reads the hours right around a change unambiguously', () => {
    expect(instant('2021-03-28T01:59:59', 'Europe/Amsterdam')).toBe('2021-03-28T00:59:59.000Z');
    expect(instant('2021-03-28T03:00:00', 'Europe/Amsterdam')).toBe('2021-03-28T01:00:00.000Z');
    expect(instant('2021-10-31T03:00:00', 'Europe/Amsterdam')).toBe('2021-10-31T02:00:00.000Z');
  });
});

describe('zoneOffsetAt', () => {
  it('gives the offset in milliseconds', () => {
    expect(zoneOffsetAt(Date.parse('2019-07-05T19:00:00Z'), 'Europe/Amsterdam')).toBe(2 * 3600_000);
    expect(zoneOffsetAt(Date.parse('2019-07-05T19:00:00Z'), 'America/Chicago')).toBe(-5 * 3600_000);
    expect(zoneOffsetAt(Date.parse('2019-07-05T19:00:00Z'), 'Etc/GMT-2')).toBe(2 * 3600_000);
  });
});

describe('wallTimeAsUtc', () => {
  it('reads the fields as UTC, for floating times', () => {
    expect(new Date(wallTimeAsUtc(wall('2019-07-05T21:34:56.5'))).toISOString()).toBe('2019-07-05T21:34:56.500Z');
  });
});

describe('zonedWallTimeToInstant on half-hour changes', () => {
  it('reads a doubled time on Lord Howe Island (clocks turned back 30 minutes) as the first occurrence', () => {
    // 2021-04-04 01:45 happened at +11:00 (14:45Z) and again at +10:30 (15:15Z).
    expect(instant('2021-04-04T01:45:00', 'Australia/Lord_Howe')).toBe('2021-04-03T14:45:00.000Z');
  });
});
