import { concertDateParts, formatConcertDate } from '../concerts/format.js';

const utc = (date: string) => {
  const parts = concertDateParts(date)!;
  return Date.UTC(parts.year, parts.month - 1, parts.day);
};

/**
 * A festival's days as one range, "Jul 21 – 22, 2023" (or the one day, with its
 * weekday). Like a concert's date, a calendar day read in UTC, so no zone moves it.
 */
export function festivalDates(firstDate: string, lastDate: string, locale?: string): string {
  if (firstDate === lastDate || !concertDateParts(firstDate) || !concertDateParts(lastDate)) return formatConcertDate(firstDate, { locale });
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).formatRange(
    utc(firstDate),
    utc(lastDate),
  );
}

/** A day of a festival whose year is already said: "Fri, Jul 21". */
export function festivalDay(date: string, locale?: string): string {
  if (!concertDateParts(date)) return date;
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(utc(date));
}
