/**
 * The evening a photo belongs to. A show's evening runs until 05:00 local time at
 * the venue, so a photo at 00:40 belongs to the previous day's show.
 */
import { zoneOffsetAt } from '../media/zoned-time.js';

const EVENING_ENDS_AT_HOUR = 5;

/**
 * The local date ('yyyy-MM-dd') of the evening. `timeZone` null means `takenAt` is
 * a floating wall time stored as if UTC (see server/media/exif.ts), which is
 * already the local clock.
 */
export function eveningOf(takenAt: Date, timeZone: string | null): string {
  const localMs = takenAt.getTime() + (timeZone ? zoneOffsetAt(takenAt.getTime(), timeZone) : 0);
  return new Date(localMs - EVENING_ENDS_AT_HOUR * 3_600_000).toISOString().slice(0, 10);
}
