import { DateTime, IANAZone } from 'luxon';

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
  return IANAZone.isValidZone(value);
}

/** What the clocks show in a zone at an instant (luxon, on Intl's zone rules); an unknown zone reads as UTC. */
export function localClock(timeZone: string | null, now: Date): LocalClock {
  const zone = timeZone && isTimeZone(timeZone) ? timeZone : 'UTC';
  const local = DateTime.fromJSDate(now, { zone });
  return { timeZone: zone, date: local.toISODate()!, year: local.year, month: local.month, day: local.day, hour: local.hour };
}
