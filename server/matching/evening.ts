/**
 * The evening a photo belongs to. A show's evening runs until 05:00 local time at
 * the venue, so a photo at 00:40 belongs to the previous day's show.
 */
import { DateTime, FixedOffsetZone } from 'luxon';
import { EVENING_ENDS_AT_HOUR } from '../../shared/festival.schema.js';
import { zoneOffsetAt } from '../media/zoned-time.js';

/**
 * The local date ('yyyy-MM-dd') of the evening. `timeZone` null means `takenAt` is
 * a floating wall time stored as if UTC (see server/media/exif.ts), which is
 * already the local clock. The zone's offset comes from zoneOffsetAt, remembered
 * per quarter hour: grouping reads thousands of photos of a few evenings.
 */
export function eveningOf(takenAt: Date, timeZone: string | null): string {
  const instant = takenAt.getTime();
  const offsetMinutes = timeZone ? zoneOffsetAt(instant, timeZone) / 60_000 : 0;
  const local = DateTime.fromMillis(instant, { zone: FixedOffsetZone.instance(offsetMinutes) });
  return (local.hour < EVENING_ENDS_AT_HOUR ? local.minus({ days: 1 }) : local).toISODate()!;
}
