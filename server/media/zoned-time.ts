/**
 * Local wall-clock times (what a camera writes into EXIF) and the UTC instants
 * they stand for in an IANA time zone, with Intl only (no tz database of our own).
 */

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

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall time's fields read as if they were UTC: the instant of a "floating" time. */
export function wallTimeAsUtc(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
}

const QUARTER_HOUR_MS = 900_000;
const OFFSET_CACHE_LIMIT = 50_000;
/** 1980-01-01: before it, some zones still changed offset at odd instants (local mean time), so nothing is remembered. */
const CACHEABLE_FROM_MS = 315_532_800_000;
const offsets = new Map<string, number>();

/**
 * The zone's offset from UTC at an instant, in milliseconds (+02:00 → 7_200_000).
 * Remembered per zone and quarter hour: since 1980 offsets change only on
 * quarter-hour instants, and Intl's formatToParts is slow
 * enough to dominate grouping thousands of photos into evenings.
 */
export function zoneOffsetAt(instantMs: number, timeZone: string): number {
  if (instantMs < CACHEABLE_FROM_MS) return computeZoneOffset(instantMs, timeZone);
  const key = `${timeZone}@${Math.floor(instantMs / QUARTER_HOUR_MS)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = computeZoneOffset(instantMs, timeZone);
    if (offsets.size >= OFFSET_CACHE_LIMIT) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

function computeZoneOffset(instantMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  const parts = formatterFor(timeZone).formatToParts(new Date(wholeSecond));
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  return asUtc - wholeSecond;
}

/**
 * The instant at which clocks in `timeZone` showed `wall`. Around DST changes it
 * behaves like Temporal's 'compatible' disambiguation: a time that happened twice
 * (clocks turned back) is the earlier of the two; a time that never happened
 * (clocks jumped forward) is read with the offset before the jump, so 02:30 on a
 * spring-forward night becomes 03:30 summer time.
 */
export function zonedWallTimeToInstant(wall: WallTime, timeZone: string): Date {
  const local = wallTimeAsUtc(wall);
  // Offset changes are more than a day apart, so the offsets a day either side
  // are the only two that can apply.
  const offsetBefore = zoneOffsetAt(local - DAY_MS, timeZone);
  const offsetAfter = zoneOffsetAt(local + DAY_MS, timeZone);
  const candidates = [local - offsetBefore, local - offsetAfter].filter((instant) => instant + zoneOffsetAt(instant, timeZone) === local);
  if (candidates.length === 0) return new Date(local - offsetBefore);
  return new Date(Math.min(...candidates));
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
