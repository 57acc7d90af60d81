import { zoneOffsetAt } from '../media/zoned-time.js';

export interface LocalClock {
  timeZone: string;
  /** The local date, YYYY-MM-DD. */
  date: string;
  year: number;
  month: number;
  day: number;
  hour: number;
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** What the clocks show in a zone at an instant; an unknown zone reads as UTC. */
export function localClock(timeZone: string | null, now: Date): LocalClock {
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : 'UTC';
  const local = new Date(now.getTime() + zoneOffsetAt(now.getTime(), zone));
  return {
    timeZone: zone,
    date: local.toISOString().slice(0, 10),
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
  };
}
