/**
 * Local wall-clock times (what a camera writes into EXIF) and the UTC instants they
 * stand for in an IANA time zone. The zone rules come from Intl, through luxon (kept,
 * and already in the tree under BullMQ's cron parser): offsets at an instant, and wall
 * times resolved across DST changes the way Temporal's 'compatible' disambiguation does.
 */
import { LRUCache } from 'lru-cache';
import { DateTime, IANAZone } from 'luxon';

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** The wall time's fields read as if they were UTC: the instant of a "floating" time. */
export function wallTimeAsUtc(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
}

const QUARTER_HOUR_MS = 900_000;
/** 1980-01-01: before it, some zones still changed offset at odd instants (local mean time), so nothing is remembered. */
const CACHEABLE_FROM_MS = 315_532_800_000;
/**
 * Offsets per zone and quarter hour: since 1980 offsets change only on quarter-hour
 * instants, and asking Intl is slow enough to dominate grouping thousands of photos
 * into evenings.
 */
const offsets = new LRUCache<string, number>({ max: 50_000 });

function zoneOf(timeZone: string): IANAZone {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new RangeError(`Invalid time zone specified: ${timeZone}`);
  return zone;
}

/** The zone's offset from UTC at an instant, in milliseconds (+02:00 → 7_200_000). */
export function zoneOffsetAt(instantMs: number, timeZone: string): number {
  if (instantMs < CACHEABLE_FROM_MS) return zoneOf(timeZone).offset(instantMs) * 60_000;
  const key = `${timeZone}@${Math.floor(instantMs / QUARTER_HOUR_MS)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = zoneOf(timeZone).offset(instantMs) * 60_000;
    offsets.set(key, offset);
  }
  return offset;
}

/**
 * The instant at which clocks in `timeZone` showed `wall`. Around DST changes it
 * behaves like Temporal's 'compatible' disambiguation: a time that happened twice
 * (clocks turned back) is the earlier of the two; a time that never happened
 * (clocks jumped forward) is read with the offset before the jump, so 02:30 on a
 * spring-forward night becomes 03:30 summer time.
 */
export function zonedWallTimeToInstant(wall: WallTime, timeZone: string): Date {
  const local = DateTime.fromObject(wall, { zone: zoneOf(timeZone) });
  // luxon reads a doubled time with the offset after the change (the later instant). The offset the day
  // before tells how far clocks were turned back; the wall time that far earlier is the first occurrence.
  const turnedBack = local.minus({ days: 1 }).offset - local.offset;
  if (turnedBack > 0) {
    const earlier = local.minus({ minutes: turnedBack });
    if (earlier.toFormat('yyyy-MM-dd HH:mm:ss.SSS') === local.toFormat('yyyy-MM-dd HH:mm:ss.SSS')) return earlier.toJSDate();
  }
  return local.toJSDate();
}
