import { isTimeZone } from '../mail/local-clock.js';
import { timeZoneAt } from './exif.js';
import { zonedWallTimeToInstant } from './zoned-time.js';

/**
 * Some sources (Google Drive's imageMediaMetadata.time) give a capture time as a
 * wall time without a zone, carried here as if it were UTC. It becomes a real
 * instant in the zone of the GPS position, else in the user's home zone (the
 * offset the camera wrote into the file is not in Drive's answer, and a phone's
 * clock runs on the zone it is in, at home most of the time), else it stays
 * floating (zone null), as readPhotoMetadata does for a file without either.
 */
export function resolveFloatingTime(floating: Date, latitude: number | null, longitude: number | null, homeTimeZone: string | null = null) {
  const timeZone = captureZone(latitude, longitude, homeTimeZone);
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

/** The zone of the GPS position, else the user's home zone, else null. */
export function captureZone(latitude: number | null, longitude: number | null, homeTimeZone: string | null): string | null {
  return (latitude !== null && longitude !== null ? timeZoneAt(latitude, longitude) : null) ?? knownZone(homeTimeZone);
}

function knownZone(zone: string | null): string | null {
  return zone && isTimeZone(zone) ? zone : null;
}
