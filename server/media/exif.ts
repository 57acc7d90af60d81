/**
 * When and where a photo was taken, and with what, from its EXIF block.
 *
 * EXIF dates are local wall-clock times without a zone. The instant is found in
 * this order:
 *   1. OffsetTimeOriginal (or the offset written with the date we use): the
 *      camera knew its offset, so wall time − offset is exact. `timeZone` is
 *      the zone of the GPS position when there is one, else the fixed-offset
 *      IANA zone `Etc/GMT∓h` for whole-hour offsets (note the inverted sign:
 *      +02:00 is Etc/GMT-2), else null.
 *   2. GPS: the IANA zone at the position (geo-tz), and the wall time read in it
 *      (DST handled by zoned-time.ts).
 *   3. Neither: a "floating" time. The wall time is stored as if it were UTC and
 *      `timeZone` is null, so that reading the instant back in UTC gives the
 *      camera's wall clock, which is what the evening rule needs.
 */
import exifr from 'exifr';
import { find as findTimeZones } from 'geo-tz/all';
import { InvalidPhotoError } from './photo-errors.js';
import { wallTimeAsUtc, zonedWallTimeToInstant, type WallTime } from './zoned-time.js';

export interface PhotoMetadata {
  takenAt: Date | null;
  /** IANA zone of the capture (see the header), or null for a floating time. */
  timeZone: string | null;
  latitude: number | null;
  longitude: number | null;
  cameraMake: string | null;
  cameraModel: string | null;
  /** EXIF orientation 1–8. */
  orientation: number | null;
}

export interface ReadPhotoMetadataOptions {
  /** "Now" for the in-the-future check; tests pin it. */
  now?: Date;
}

/** Earlier dates come from cameras whose clock was never set. */
export const EARLIEST_PLAUSIBLE_CAPTURE = new Date(Date.UTC(1990, 0, 1));
/**
 * No photograph is older (Niépce, 1826): an earlier EXIF date is not a date at all
 * but what an unset clock writes ("0001:01:01"), and is dropped like "0000:00:00".
 * Kept apart from the 1990 rule, which refuses the photo with its date as written:
 * JavaScript would read years 0–99 as 1900–1999 and show "0001" as 1901.
 */
const FIRST_PHOTOGRAPH_YEAR = 1826;
/** Later than now plus this is a wrong clock; two days allow for any zone mix-up. */
const FUTURE_TOLERANCE_MS = 2 * 86_400_000;
const CAMERA_NAME_MAX_LENGTH = 100;

const NO_METADATA: PhotoMetadata = {
  takenAt: null,
  timeZone: null,
  latitude: null,
  longitude: null,
  cameraMake: null,
  cameraModel: null,
  orientation: null,
};

/** Only the tags we use, from the TIFF/EXIF/GPS blocks: about 0.1 ms per photo. */
const EXIFR_OPTIONS = {
  tiff: true,
  ifd0: { pick: ['Make', 'Model', 'Orientation'] },
  exif: {
    pick: ['DateTimeOriginal', 'SubSecTimeOriginal', 'OffsetTimeOriginal', 'CreateDate', 'SubSecTimeDigitized', 'OffsetTimeDigitized'],
  },
  gps: { pick: ['GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef'] },
  ifd1: false,
  interop: false,
  makerNote: false,
  userComment: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  // Raw strings: exifr would revive dates in this process's zone.
  reviveValues: false,
  translateValues: false,
  mergeOutput: true,
};

type Tags = Record<string, unknown>;

/**
 * Throws InvalidPhotoError for absurd values (a date before 1990 or days in the
 * future, coordinates off the globe). Missing or unreadable EXIF is not an
 * error: the photo's pixels may be fine, so the fields are null. `input` is the
 * bytes or a file's path (exifr then reads only the parts that hold the metadata).
 */
export async function readPhotoMetadata(input: Buffer | string, options: ReadPhotoMetadataOptions = {}): Promise<PhotoMetadata> {
  const tags = await parseTags(input);
  if (!tags) return { ...NO_METADATA };

  const position = readPosition(tags);
  const positionZone = position ? timeZoneAt(position.latitude, position.longitude) : null;
  const capture = readCaptureTime(tags);
  let takenAt: Date | null = null;
  let timeZone = positionZone;
  if (capture) {
    if (capture.offsetMinutes !== null) {
      takenAt = new Date(wallTimeAsUtc(capture.wall) - capture.offsetMinutes * 60_000);
      timeZone = positionZone ?? fixedOffsetZone(capture.offsetMinutes);
    } else if (positionZone) {
      takenAt = zonedWallTimeToInstant(capture.wall, positionZone);
    } else {
      takenAt = new Date(wallTimeAsUtc(capture.wall));
    }
    assertPlausibleCaptureTime(takenAt, options.now ?? new Date());
  }

  return {
    takenAt,
    timeZone,
    latitude: position?.latitude ?? null,
    longitude: position?.longitude ?? null,
    cameraMake: cleanText(tags.Make),
    cameraModel: cleanText(tags.Model),
    orientation: readOrientation(tags.Orientation),
  };
}

async function parseTags(input: Buffer | string): Promise<Tags | null> {
  try {
    const tags: unknown = await exifr.parse(input, EXIFR_OPTIONS);
    return tags && typeof tags === 'object' ? (tags as Tags) : null;
  } catch {
    // Not a format exifr knows, or a corrupt EXIF block: the image check decides about the file.
    return null;
  }
}

function readPosition(tags: Tags): { latitude: number; longitude: number } | null {
  const { latitude, longitude } = tags;
  if (typeof latitude !== 'number' || typeof longitude !== 'number' || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  // 0,0 is what some phones write when they had no fix: treated as no position.
  if (latitude === 0 && longitude === 0) return null;
  if (Math.abs(latitude) > 90) throw new InvalidPhotoError(`The photo's GPS latitude (${latitude}) is not on Earth: it must be between -90 and 90`);
  if (Math.abs(longitude) > 180) throw new InvalidPhotoError(`The photo's GPS longitude (${longitude}) is not on Earth: it must be between -180 and 180`);
  return { latitude, longitude };
}

export function timeZoneAt(latitude: number, longitude: number): string | null {
  // geo-tz/all, not the 1970-merged default, so Amsterdam is Europe/Amsterdam rather than Europe/Brussels.
  return findTimeZones(latitude, longitude)[0] ?? null;
}

interface CaptureTime {
  wall: WallTime;
  offsetMinutes: number | null;
}

/** DateTimeOriginal, else CreateDate (DateTimeDigitized), each with its own sub-seconds and offset tags. */
function readCaptureTime(tags: Tags): CaptureTime | null {
  const sources = [
    [tags.DateTimeOriginal, tags.SubSecTimeOriginal, tags.OffsetTimeOriginal],
    [tags.CreateDate, tags.SubSecTimeDigitized, tags.OffsetTimeDigitized],
  ] as const;
  for (const [date, subSeconds, offset] of sources) {
    const parsed = parseExifDateTime(date);
    if (!parsed) continue;
    const millisecond = parseSubSeconds(subSeconds);
    if (millisecond !== null) parsed.wall.millisecond = millisecond;
    return { wall: parsed.wall, offsetMinutes: parseOffset(offset) ?? parsed.offsetMinutes };
  }
  return null;
}

const EXIF_DATE_TIME = /^(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** "2019:07:05 21:34:56" (the EXIF form), tolerating dashes, a T, fractions and a trailing offset written by some tools. */
export function parseExifDateTime(value: unknown): { wall: WallTime; offsetMinutes: number | null } | null {
  if (typeof value !== 'string') return null;
  const match = EXIF_DATE_TIME.exec(value.replace(/\0/g, '').trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  const wall: WallTime = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    // A leap second is kept inside its minute.
    second: Math.min(Number(second ?? 0), 59),
    millisecond: fraction ? Number(fraction.padEnd(3, '0').slice(0, 3)) : 0,
  };
  if (!isRealCalendarTime(wall)) return null;
  return { wall, offsetMinutes: offset ? parseOffset(offset) : null };
}

/** Rejects "0000:00:00 00:00:00" and "0001:01:01 00:00:00" (unset), month 13, 31 April, 25 o'clock. */
function isRealCalendarTime(wall: WallTime): boolean {
  if (wall.year < FIRST_PHOTOGRAPH_YEAR) return false;
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.hour > 23 || wall.minute > 59) return false;
  const daysInMonth = new Date(Date.UTC(wall.year, wall.month, 0)).getUTCDate();
  return wall.day <= daysInMonth;
}

/** SubSecTime digits are a decimal fraction: "5" is 500 ms, "05" 50 ms, "123456" 123 ms. */
function parseSubSeconds(value: unknown): number | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.replace(/\0/g, '').trim() : '';
  if (!/^\d+$/.test(text)) return null;
  return Number(text.padEnd(3, '0').slice(0, 3));
}

/** "+02:00", "-0530" or "Z" → minutes east of UTC; blanks and impossible offsets → null. */
export function parseOffset(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(/\0/g, '').trim();
  if (text === 'Z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!match) return null;
  const [, sign, hours, minutes] = match;
  const total = Number(hours) * 60 + Number(minutes);
  if (Number(minutes) > 59 || total > 14 * 60) return null;
  return sign === '-' ? -total : total;
}

/** IANA's fixed-offset zones exist for whole hours only (and name them with the sign inverted). */
function fixedOffsetZone(offsetMinutes: number): string | null {
  if (offsetMinutes % 60 !== 0) return null;
  const hours = offsetMinutes / 60;
  if (hours === 0) return 'Etc/UTC';
  if (hours < -12 || hours > 14) return null;
  return `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
}

function assertPlausibleCaptureTime(takenAt: Date, now: Date): void {
  const day = takenAt.toISOString().slice(0, 10);
  if (takenAt < EARLIEST_PLAUSIBLE_CAPTURE) {
    throw new InvalidPhotoError(`The photo's date (${day}) is before 1990: the camera's clock was probably not set`);
  }
  if (takenAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw new InvalidPhotoError(`The photo's date (${day}) is in the future: the camera's clock is wrong`);
  }
}

function readOrientation(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 8 ? value : null;
}

function cleanText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(/\0/g, '').replace(/\s+/g, ' ').trim();
  return text ? text.slice(0, CAMERA_NAME_MAX_LENGTH) : null;
}
