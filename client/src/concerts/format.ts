/** How concerts read on screen: dates, places, map links. Pure, shared by the timeline and the concert page. */

/**
 * A concert's date is the local date of the evening at the venue ("2014-03-21"),
 * not an instant: it is formatted as that calendar day in UTC, so no browser zone
 * can move it to the day before or after.
 */
export function concertDateParts(concertDate: string): { year: number; month: number; day: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(concertDate);
  if (!match) return null;
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

export function formatConcertDate(concertDate: string, { weekday = true, locale }: { weekday?: boolean; locale?: string } = {}): string {
  const parts = concertDateParts(concertDate);
  if (!parts) return concertDate;
  return new Intl.DateTimeFormat(locale, {
    ...(weekday ? { weekday: 'short' } : {}),
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(Date.UTC(parts.year, parts.month - 1, parts.day));
}

export function concertYear(concertDate: string): number | null {
  return concertDateParts(concertDate)?.year ?? null;
}

/** "Netherlands" for "NL", in the visitor's language; the code itself when the browser can't name it. */
export function countryName(countryCode: string | null | undefined, locale?: string): string | null {
  if (!countryCode) return null;
  try {
    return new Intl.DisplayNames(locale, { type: 'region' }).of(countryCode.toUpperCase()) ?? countryCode;
  } catch {
    return countryCode;
  }
}

/** "Amsterdam, Netherlands"; either part may be missing. */
export function placeLine(city: string | null | undefined, countryCode: string | null | undefined, locale?: string): string | null {
  const parts = [city, countryName(countryCode, locale)].filter((part): part is string => !!part);
  return parts.length ? parts.join(', ') : null;
}

/** The venue on OpenStreetMap, centred and zoomed to street level. */
export function openStreetMapUrl(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(5);
  const lon = longitude.toFixed(5);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

export const UNKNOWN_ARTIST = 'Unknown artist';
