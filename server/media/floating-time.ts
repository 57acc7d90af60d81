import { timeZoneAt } from './exif.js';
import { zonedWallTimeToInstant } from './zoned-time.js';

/**
 * Some sources (Google Drive's imageMediaMetadata.time) give a capture time as a
 * wall time without a zone, carried here as if it were UTC. With GPS it becomes
 * a real instant in the zone of the place; without, it stays floating (zone null),
 * as readPhotoMetadata does for EXIF.
 */
export function resolveFloatingTime(floating: Date, latitude: number | null, longitude: number | null) {
  const timeZone = latitude !== null && longitude !== null ? timeZoneAt(latitude, longitude) : null;
  if (!timeZone) return { takenAt: floating, timeZone: null };
  const wall = {
    year: floating.getUTCFullYear(),
    month: floating.getUTCMonth() + 1,
    day: floating.getUTCDate(),
    hour: floating.getUTCHours(),
    minute: floating.getUTCMinutes(),
    second: floating.getUTCSeconds(),
    millisecond: floating.getUTCMilliseconds(),
  };
  return { takenAt: zonedWallTimeToInstant(wall, timeZone), timeZone };
}
