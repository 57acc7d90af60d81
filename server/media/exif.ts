/**
 * When and where a photo was taken, and with what, from its metadata: EXIF
 * (JPEG, HEIC, PNG eXIf, TIFF, WebP, AVIF), XMP and IPTC.
 *
 * The capture time is the first of these the file has (shared/taken-at-source.ts):
 *   EXIF DateTimeOriginal → EXIF CreateDate → XMP (exif:DateTimeOriginal,
 *   photoshop:DateCreated, xmp:CreateDate) → IPTC DateCreated + TimeCreated →
 *   the GPS date and time stamp (UTC) → a date without a time of day in XMP or
 *   IPTC (read as noon, so it lands on that day's evening) → EXIF DateTime of
 *   IFD0 (when the file was last written) → the file's modification time, given
 *   by the caller (a guess, marked 'file-time'). Nothing with any of these is left
 *   undated.
 *
 * Most of these are wall-clock times. The instant is found in this order:
 *   1. An offset written with the date (OffsetTimeOriginal and its siblings, or
 *      one inside an XMP/IPTC value): wall time − offset is exact. `timeZone` is
 *      the zone of the GPS position when there is one, else the fixed-offset IANA
 *      zone `Etc/GMT∓h` for whole-hour offsets (note the inverted sign: +02:00 is
 *      Etc/GMT-2), else null.
 *   2. GPS: the IANA zone at the position (geo-tz), and the wall time read in it
 *      (DST handled by zoned-time.ts).
 *   3. Neither: a "floating" time. The wall time is stored as if it were UTC and
 *      `timeZone` is null, so that reading the instant back in UTC gives the
 *      camera's wall clock, which is what the evening rule needs.
 * The GPS stamp and the file time are instants already; their zone is the
 * position's, else (file time) the user's home zone, else UTC.
 *
 * Lenient where a value is impossible but the photo is fine: a GPS position off
 * the globe is dropped with a note, and so is an implausible date from a
 * fallback source. An implausible EXIF capture date still refuses the photo.
 */
import exifr from 'exifr';
import { find as findTimeZones } from 'geo-tz/all';
import type { TakenAtSource } from '../../shared/taken-at-source.js';
import { isTimeZone } from '../mail/local-clock.js';
import { InvalidPhotoError } from './photo-errors.js';
import { wallTimeAsUtc, zonedWallTimeToInstant, type WallTime } from './zoned-time.js';

export interface PhotoMetadata {
  takenAt: Date | null;
  /** Which of the file's dates takenAt is (null with no date). */
  takenAtSource: TakenAtSource | null;
  /** IANA zone of the capture (see the header), or null for a floating time. */
  timeZone: string | null;
  latitude: number | null;
  longitude: number | null;
  cameraMake: string | null;
  cameraModel: string | null;
  /** EXIF orientation 1–8. */
  orientation: number | null;
  /** What was ignored and why, one sentence each ("The GPS position … is not on Earth: it was ignored"). */
  notes: string[];
}

export interface ReadPhotoMetadataOptions {
  /** "Now" for the in-the-future check; tests pin it. */
  now?: Date;
  /** The file's modification time: the date of last resort, marked as a guess. */
  fileModifiedAt?: Date | null;
  /** The user's home zone, for a file time of a photo without a position; asked only then. */
  homeTimeZone?: () => Promise<string | null>;
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
/**
 * exifr reads a file in chunks; with its default first chunk (a few hundred bytes)
 * it misses the EXIF block of some real files entirely (a Canon JPEG with a large
 * APP segment first, a PNG whose eXIf follows IDAT, a JPEG named .heic). A 1 MiB
 * first chunk reads every file of the real-media corpus exactly as from memory.
 */
const CHUNK_BYTES = 1024 * 1024;

/** Only the tags we use: about 0.1 ms per photo. XMP is read in a second pass, only for files without an EXIF date. */
const EXIF_OPTIONS = {
  tiff: true,
  ifd0: { pick: ['Make', 'Model', 'Orientation', 'ModifyDate'] },
  exif: {
    pick: [
      'DateTimeOriginal',
      'SubSecTimeOriginal',
      'OffsetTimeOriginal',
      'CreateDate',
      'SubSecTimeDigitized',
      'OffsetTimeDigitized',
      'SubSecTime',
      'OffsetTime',
    ],
  },
  gps: { pick: ['GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef', 'GPSDateStamp', 'GPSTimeStamp'] },
  iptc: true,
  ifd1: false,
  interop: false,
  makerNote: false,
  userComment: false,
  xmp: false,
  icc: false,
  jfif: false,
  ihdr: false,
  // Raw strings: exifr would revive dates in this process's zone.
  reviveValues: false,
  translateValues: false,
  // Kept apart by segment: an IPTC or XMP tag must never pass for the EXIF one of the same name.
  mergeOutput: false,
  firstChunkSize: CHUNK_BYTES,
  chunkSize: CHUNK_BYTES,
};

/** XMP alone: its `exif` namespace would otherwise land on top of the EXIF block. */
const XMP_OPTIONS = {
  ...EXIF_OPTIONS,
  tiff: false,
  ifd0: false,
  exif: false,
  gps: false,
  iptc: false,
  xmp: true,
};

type Tags = Record<string, unknown>;
type Segments = Partial<Record<'ifd0' | 'exif' | 'gps' | 'iptc', Tags>>;

const NO_POSITION = { position: null, note: null };

/**
 * Throws InvalidPhotoError for an absurd EXIF capture date (before 1990 or days in
 * the future). Missing or unreadable metadata is not an error: the photo's pixels
 * may be fine, so the fields are null. `input` is the bytes or a file's path
 * (exifr then reads only the parts that hold the metadata).
 */
export async function readPhotoMetadata(input: Buffer | string, options: ReadPhotoMetadataOptions = {}): Promise<PhotoMetadata> {
  const now = options.now ?? new Date();
  const segments = ((await parse(input, EXIF_OPTIONS)) ?? {}) as Segments;
  const ifd0 = segments.ifd0 ?? {};
  const exif = segments.exif ?? {};
  const notes: string[] = [];

  const { position, note } = segments.gps ? readPosition(segments.gps) : NO_POSITION;
  if (note) notes.push(note);
  const positionZone = position ? timeZoneAt(position.latitude, position.longitude) : null;

  let capture = exifCapture(exif);
  if (capture) {
    assertPlausibleCaptureTime(instantOf(capture, positionZone).takenAt, now);
  } else {
    const xmp = ((await parse(input, XMP_OPTIONS)) ?? {}) as Record<string, Tags>;
    capture = firstPlausible(fallbackCaptures(xmp, segments.iptc ?? {}, segments.gps ?? {}, ifd0, exif), positionZone, now, notes);
  }

  let dated: { takenAt: Date; timeZone: string | null; source: TakenAtSource } | null = capture
    ? { ...instantOf(capture, positionZone), source: capture.source }
    : null;
  if (!dated && options.fileModifiedAt && isPlausible(options.fileModifiedAt, now)) {
    const home = positionZone ? null : await options.homeTimeZone?.();
    dated = { takenAt: options.fileModifiedAt, timeZone: positionZone ?? (home && isTimeZone(home) ? home : 'Etc/UTC'), source: 'file-time' };
  }

  return {
    takenAt: dated?.takenAt ?? null,
    takenAtSource: dated?.source ?? null,
    timeZone: dated?.timeZone ?? positionZone,
    latitude: position?.latitude ?? null,
    longitude: position?.longitude ?? null,
    cameraMake: cleanText(ifd0.Make),
    cameraModel: cleanText(ifd0.Model),
    orientation: readOrientation(ifd0.Orientation),
    notes,
  };
}

async function parse(input: Buffer | string, options: object): Promise<Record<string, unknown> | null> {
  try {
    const tags: unknown = await exifr.parse(input, options);
    return tags && typeof tags === 'object' ? (tags as Record<string, unknown>) : null;
  } catch {
    // Not a format exifr knows, or a corrupt block: the image check decides about the file.
    return null;
  }
}

interface Position {
  latitude: number;
  longitude: number;
}

function readPosition(gps: Tags): { position: Position | null; note: string | null } {
  const { latitude, longitude } = gps;
  if (typeof latitude !== 'number' || typeof longitude !== 'number' || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return NO_POSITION;
  // 0,0 is what some phones write when they had no fix: treated as no position.
  if (latitude === 0 && longitude === 0) return NO_POSITION;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
    const round = (value: number) => Math.round(value * 1e5) / 1e5;
    const note = `The GPS position (latitude ${round(latitude)}, longitude ${round(longitude)}) is not on Earth: it was ignored`;
    return { position: null, note };
  }
  return { position: { latitude, longitude }, note: null };
}

export function timeZoneAt(latitude: number, longitude: number): string | null {
  // geo-tz/all, not the 1970-merged default, so Amsterdam is Europe/Amsterdam rather than Europe/Brussels.
  return findTimeZones(latitude, longitude)[0] ?? null;
}

interface Capture {
  source: TakenAtSource;
  wall: WallTime;
  /** Minutes east of UTC, when the file says. */
  offsetMinutes: number | null;
  /** The wall time is UTC (the GPS stamp). */
  utc?: boolean;
  /** Named in notes: "the XMP date". */
  label: string;
}

/** DateTimeOriginal, else CreateDate (DateTimeDigitized), each with its own sub-seconds and offset tags. */
function exifCapture(exif: Tags): Capture | null {
  const sources = [
    ['exif-original', exif.DateTimeOriginal, exif.SubSecTimeOriginal, exif.OffsetTimeOriginal],
    ['exif-digitized', exif.CreateDate, exif.SubSecTimeDigitized, exif.OffsetTimeDigitized],
  ] as const;
  for (const [source, date, subSeconds, offset] of sources) {
    const capture = withSubSeconds(parseExifDateTime(date), subSeconds, offset);
    if (capture) return { ...capture, source, label: 'the EXIF date' };
  }
  return null;
}

function withSubSeconds(parsed: ReturnType<typeof parseExifDateTime>, subSeconds: unknown, offset: unknown) {
  if (!parsed) return null;
  const millisecond = parseSubSeconds(subSeconds);
  if (millisecond !== null) parsed.wall.millisecond = millisecond;
  return { wall: parsed.wall, offsetMinutes: parseOffset(offset) ?? parsed.offsetMinutes };
}

/** Every other date the file has, best first (see the header). */
function* fallbackCaptures(xmp: Record<string, Tags>, iptc: Tags, gps: Tags, ifd0: Tags, exif: Tags): Generator<Capture> {
  // XMP prefixes are the file's own: Adobe's older files name the xmp namespace `xap`.
  const xmpValues = [xmp.exif?.DateTimeOriginal, xmp.photoshop?.DateCreated, xmp.xmp?.CreateDate, xmp.xap?.CreateDate];
  const dateOnly: Capture[] = [];
  for (const value of xmpValues) {
    const parsed = parseExifDateTime(value);
    if (parsed) yield { ...parsed, source: 'xmp', label: 'the XMP date' };
    const day = parsed ? null : parseDateOnly(value);
    if (day) dateOnly.push({ ...day, source: 'xmp', label: 'the XMP date' });
  }
  const iptcDay = parseIptcDate(iptc.DateCreated);
  if (iptcDay) {
    const time = parseIptcTime(iptc.TimeCreated);
    if (time) yield { wall: { ...iptcDay.wall, ...time.clock }, offsetMinutes: time.offsetMinutes, source: 'iptc', label: 'the IPTC date' };
    else dateOnly.push({ ...iptcDay, source: 'iptc', label: 'the IPTC date' });
  }
  const gpsStamp = parseGpsStamp(gps.GPSDateStamp, gps.GPSTimeStamp);
  if (gpsStamp) yield { wall: gpsStamp, offsetMinutes: 0, utc: true, source: 'gps', label: 'the GPS time stamp' };
  yield* dateOnly;
  const modified = withSubSeconds(parseExifDateTime(ifd0.ModifyDate), exif.SubSecTime, exif.OffsetTime);
  if (modified) yield { ...modified, source: 'exif-modified', label: 'the EXIF DateTime' };
}

/** The first capture that is a plausible date; the others are named in a note. */
function firstPlausible(captures: Iterable<Capture>, positionZone: string | null, now: Date, notes: string[]): Capture | null {
  for (const capture of captures) {
    const { takenAt } = instantOf(capture, positionZone);
    if (isPlausible(takenAt, now)) return capture;
    notes.push(`${capitalised(capture.label)} (${takenAt.toISOString().slice(0, 10)}) is not a plausible capture date: it was ignored`);
  }
  return null;
}

function instantOf(capture: Capture, positionZone: string | null): { takenAt: Date; timeZone: string | null } {
  if (capture.utc) return { takenAt: new Date(wallTimeAsUtc(capture.wall)), timeZone: positionZone ?? 'Etc/UTC' };
  if (capture.offsetMinutes !== null) {
    return {
      takenAt: new Date(wallTimeAsUtc(capture.wall) - capture.offsetMinutes * 60_000),
      timeZone: positionZone ?? fixedOffsetZone(capture.offsetMinutes),
    };
  }
  if (positionZone) return { takenAt: zonedWallTimeToInstant(capture.wall, positionZone), timeZone: positionZone };
  return { takenAt: new Date(wallTimeAsUtc(capture.wall)), timeZone: null };
}

const EXIF_DATE_TIME = /^(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** "2019:07:05 21:34:56" (the EXIF form), tolerating dashes, a T, fractions and a trailing offset (XMP's ISO 8601 form). */
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

const NOON = { hour: 12, minute: 0, second: 0, millisecond: 0 };

/** "2003-08-30" (XMP) → noon that day, floating. */
function parseDateOnly(value: unknown): { wall: WallTime; offsetMinutes: null } | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})[:-](\d{2})[:-](\d{2})$/.exec(value.trim());
  if (!match) return null;
  const wall = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]), ...NOON };
  return isRealCalendarTime(wall) ? { wall, offsetMinutes: null } : null;
}

/** IPTC DateCreated "20170713" → noon that day (TimeCreated replaces the clock when present). */
function parseIptcDate(value: unknown): { wall: WallTime; offsetMinutes: null } | null {
  const text = typeof value === 'string' ? value.trim() : '';
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return null;
  const wall = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]), ...NOON };
  return isRealCalendarTime(wall) ? { wall, offsetMinutes: null } : null;
}

/** IPTC TimeCreated "170100+0000" (HHMMSS±HHMM, the offset optional). */
function parseIptcTime(value: unknown): { clock: Pick<WallTime, 'hour' | 'minute' | 'second' | 'millisecond'>; offsetMinutes: number | null } | null {
  const text = typeof value === 'string' ? value.trim() : '';
  const match = /^(\d{2})(\d{2})(\d{2})([+-]\d{4})?$/.exec(text);
  if (!match) return null;
  const clock = { hour: Number(match[1]), minute: Number(match[2]), second: Math.min(Number(match[3]), 59), millisecond: 0 };
  if (clock.hour > 23 || clock.minute > 59) return null;
  return { clock, offsetMinutes: match[4] ? parseOffset(match[4]) : null };
}

/** GPSDateStamp "2022:02:03" and GPSTimeStamp [14, 44, 9.5] (or "14:44:09"): a UTC time. */
function parseGpsStamp(dateStamp: unknown, timeStamp: unknown): WallTime | null {
  const date = typeof dateStamp === 'string' ? /^(\d{4})[:-](\d{2})[:-](\d{2})$/.exec(dateStamp.replace(/\0/g, '').trim()) : null;
  if (!date) return null;
  const parts = Array.isArray(timeStamp) ? timeStamp.map(Number) : typeof timeStamp === 'string' ? timeStamp.trim().split(':').map(Number) : [];
  if (parts.length !== 3 || !parts.every((part) => Number.isFinite(part) && part >= 0)) return null;
  const [hour, minute, seconds] = parts as [number, number, number];
  const wall: WallTime = {
    year: Number(date[1]),
    month: Number(date[2]),
    day: Number(date[3]),
    hour: Math.floor(hour),
    minute: Math.floor(minute),
    second: Math.min(Math.floor(seconds), 59),
    millisecond: Math.round((seconds % 1) * 1000) % 1000,
  };
  return isRealCalendarTime(wall) ? wall : null;
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
export function fixedOffsetZone(offsetMinutes: number): string | null {
  if (offsetMinutes % 60 !== 0) return null;
  const hours = offsetMinutes / 60;
  if (hours === 0) return 'Etc/UTC';
  if (hours < -12 || hours > 14) return null;
  return `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
}

function isPlausible(takenAt: Date, now: Date): boolean {
  return takenAt >= EARLIEST_PLAUSIBLE_CAPTURE && takenAt.getTime() <= now.getTime() + FUTURE_TOLERANCE_MS;
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

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
