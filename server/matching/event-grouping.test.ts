import { describe, expect, it } from 'vitest';
import { eveningOf } from './evening.js';
import { eventKeyOf, groupIntoEvents, type GroupablePhoto } from './event-grouping.js';

const PARADISO = { latitude: 52.3622, longitude: 4.8839 };
const at = (iso: string) => new Date(iso);

function photo(
  id: number,
  iso: string,
  place: { latitude: number; longitude: number } | null,
  timeZone: string | null = 'Europe/Amsterdam',
): GroupablePhoto {
  return { id, takenAt: at(iso), timeZone, latitude: place?.latitude ?? null, longitude: place?.longitude ?? null };
}

describe('eveningOf', () => {
  it('gives the local date, with the evening running until 05:00 local time', () => {
    // 21:30 and 00:40 in Amsterdam (UTC+1 in November) are one evening; 05:10 is the next day.
    expect(eveningOf(at('2012-11-09T20:30:00Z'), 'Europe/Amsterdam')).toBe('2012-11-09');
    expect(eveningOf(at('2012-11-09T23:40:00Z'), 'Europe/Amsterdam')).toBe('2012-11-09');
    expect(eveningOf(at('2012-11-10T03:50:00Z'), 'Europe/Amsterdam')).toBe('2012-11-09');
    expect(eveningOf(at('2012-11-10T04:10:00Z'), 'Europe/Amsterdam')).toBe('2012-11-10');
  });

  it('uses the zone at the venue, not UTC: a Sydney show at 21:00 is 10:00 UTC that day', () => {
    expect(eveningOf(at('2023-02-10T10:00:00Z'), 'Australia/Sydney')).toBe('2023-02-10');
    expect(eveningOf(at('2021-11-20T06:20:00Z'), 'America/Chicago')).toBe('2021-11-19');
  });

  it('reads a floating time (no zone) as the local clock', () => {
    expect(eveningOf(at('2014-03-22T00:40:00Z'), null)).toBe('2014-03-21');
  });
});

describe('groupIntoEvents', () => {
  it('puts one evening at one place into one event, after midnight included', () => {
    const photos = [
      photo(1, '2012-11-09T20:15:00Z', PARADISO),
      photo(2, '2012-11-09T21:00:00Z', { latitude: 52.3625, longitude: 4.8843 }),
      photo(3, '2012-11-09T23:45:00Z', { latitude: 52.3619, longitude: 4.8835 }),
    ];
    const { events } = groupIntoEvents(photos, 300);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ evening: '2012-11-09', timeZone: 'Europe/Amsterdam', photoIds: [1, 2, 3] });
  });

  it('splits the same evening at two places and the same place on two evenings', () => {
    const melkweg = { latitude: 52.3648, longitude: 4.8811 };
    const photos = [
      photo(1, '2012-11-09T20:15:00Z', PARADISO),
      photo(2, '2012-11-09T22:15:00Z', melkweg),
      photo(3, '2012-11-10T20:15:00Z', PARADISO),
    ];
    const { events } = groupIntoEvents(photos, 300);
    expect(events.map((e) => [e.evening, e.photoIds])).toEqual([
      ['2012-11-09', [1]],
      ['2012-11-09', [2]],
      ['2012-11-10', [3]],
    ]);
  });

  it('keeps photos without a position or a time aside', () => {
    const { events, withoutPlace, undated } = groupIntoEvents(
      [
        photo(1, '2012-11-09T20:15:00Z', PARADISO),
        photo(2, '2012-11-09T21:15:00Z', null, null),
        { ...photo(3, '2012-11-09T21:15:00Z', null), takenAt: null },
      ],
      300,
    );
    expect(events).toHaveLength(1);
    expect(withoutPlace.get('2012-11-09')).toEqual([2]);
    expect(undated).toEqual([3]);
  });

  it('names an event by evening and place, stably', () => {
    expect(eventKeyOf({ evening: '2012-11-09', center: PARADISO })).toBe('2012-11-09@52.362,4.884');
  });
});
