/**
 * When and where a phone video was taken, how long it is and how it is shown, from
 * its QuickTime/MP4 index (quicktime-atoms.ts), by the rules exif.ts applies to photos:
 *
 * - Date: Apple's `com.apple.quicktime.creationdate` (wall time with its offset:
 *   "2023-09-22T18:34:05+0200"), else `©day` with an offset, else the movie header's
 *   creation time (`mvhd`, seconds since 1904, UTC by the specification; Android
 *   phones write only this), else the file's modification time, marked as a guess.
 *   An implausible date (unset clocks write 1904 or 1970) is skipped with a note.
 * - Zone: the zone at the GPS position, else the written offset's, else (a UTC time)
 *   the user's home zone, else UTC.
 * - Position: `com.apple.quicktime.location.ISO6709`, else `©xyz` (ISO 6709:
 *   "+52.4597+013.3220+051.178/"); 0,0 (no fix) and positions off the globe are dropped.
 * - Size: the video track's coded size turned by its rotation (the tkhd matrix), so a
 *   portrait phone video is taller than wide, as a viewer shows it.
 */
import type { TakenAtSource } from '../../shared/taken-at-source.js';
import { isTimeZone } from '../mail/local-clock.js';
import { EARLIEST_PLAUSIBLE_CAPTURE, fixedOffsetZone, parseExifDateTime, timeZoneAt } from './exif.js';
import { dateFrom1904, randomAccess, readQuickTimeMovie, type QuickTimeMovie, VideoStructureError } from './quicktime-atoms.js';
import { wallTimeAsUtc } from './zoned-time.js';

export interface VideoMetadata {
  takenAt: Date | null;
  takenAtSource: TakenAtSource | null;
  timeZone: string | null;
  latitude: number | null;
  longitude: number | null;
  durationMs: number | null;
  /** Upright: as a player shows it. */
  width: number | null;
  height: number | null;
  /** Clockwise degrees the player turns the coded picture. */
  rotation: number;
  cameraMake: string | null;
  cameraModel: string | null;
  /** Apple's Live Photo identifier (com.apple.quicktime.content.identifier), shared with its HEIC. */
  contentIdentifier: string | null;
  notes: string[];
}

export interface ReadVideoMetadataOptions {
  now?: Date;
  fileModifiedAt?: Date | null;
  homeTimeZone?: () => Promise<string | null>;
}

const FUTURE_TOLERANCE_MS = 2 * 86_400_000;
const TEXT_MAX = 100;

/** Throws VideoStructureError (with a reason a person can read) when the file is not a readable video. */
export async function readVideoMetadata(input: Buffer | string, options: ReadVideoMetadataOptions = {}): Promise<VideoMetadata> {
  const file = await randomAccess(input);
  let movie: QuickTimeMovie;
  try {
    movie = await readQuickTimeMovie(file);
  } finally {
    await file.close();
  }
  return videoMetadataOf(movie, options);
}

export async function videoMetadataOf(movie: QuickTimeMovie, options: ReadVideoMetadataOptions = {}): Promise<VideoMetadata> {
  const now = options.now ?? new Date();
  const video = movie.tracks.find((track) => track.handler === 'vide');
  if (!video) throw new VideoStructureError('The file has no video track (an audio file, or not a video)');
  const notes: string[] = [];
  const position = readPosition(text(movie.keys.get('com.apple.quicktime.location.ISO6709')) ?? movie.userData.get('©xyz') ?? null, notes);
  const positionZone = position ? timeZoneAt(position.latitude, position.longitude) : null;

  let dated: Pick<VideoMetadata, 'takenAt' | 'takenAtSource' | 'timeZone'> | null = null;
  for (const written of [text(movie.keys.get('com.apple.quicktime.creationdate')), movie.userData.get('©day')]) {
    const parsed = parseExifDateTime(written);
    // Only with an offset: a wall time without one is the movie header's time less precisely.
    if (!parsed || parsed.offsetMinutes === null) continue;
    const takenAt = new Date(wallTimeAsUtc(parsed.wall) - parsed.offsetMinutes * 60_000);
    if (plausible(takenAt, now, notes, 'The QuickTime creation date')) {
      dated = { takenAt, takenAtSource: 'quicktime', timeZone: positionZone ?? fixedOffsetZone(parsed.offsetMinutes) };
      break;
    }
  }
  let homeZone: string | null | undefined;
  const home = async () => {
    if (homeZone === undefined) homeZone = (await options.homeTimeZone?.()) ?? null;
    return homeZone && isTimeZone(homeZone) ? homeZone : null;
  };
  if (!dated) {
    const header = dateFrom1904(movie.creationTime1904);
    if (header && plausible(header, now, notes, "The movie header's creation time")) {
      dated = { takenAt: header, takenAtSource: 'quicktime-utc', timeZone: positionZone ?? (await home()) ?? 'Etc/UTC' };
    }
  }
  if (!dated && options.fileModifiedAt && plausible(options.fileModifiedAt, now, [], '')) {
    dated = { takenAt: options.fileModifiedAt, takenAtSource: 'file-time', timeZone: positionZone ?? (await home()) ?? 'Etc/UTC' };
  }

  const turned = video.rotation === 90 || video.rotation === 270;
  const durationSeconds = movie.durationSeconds ?? video.durationSeconds;
  return {
    takenAt: dated?.takenAt ?? null,
    takenAtSource: dated?.takenAtSource ?? null,
    timeZone: dated?.timeZone ?? positionZone,
    latitude: position?.latitude ?? null,
    longitude: position?.longitude ?? null,
    durationMs:
      durationSeconds !== null && Number.isFinite(durationSeconds) && durationSeconds >= 0
        ? Math.min(Math.round(durationSeconds * 1000), 4_294_967_295)
        : null,
    width: turned ? video.height : video.width,
    height: turned ? video.width : video.height,
    rotation: video.rotation,
    cameraMake: text(movie.keys.get('com.apple.quicktime.make')) ?? text(movie.userData.get('©mak')),
    cameraModel: text(movie.keys.get('com.apple.quicktime.model')) ?? text(movie.userData.get('©mod')),
    contentIdentifier: contentIdentifier(movie.keys.get('com.apple.quicktime.content.identifier')),
    notes,
  };
}

function plausible(takenAt: Date, now: Date, notes: string[], label: string): boolean {
  const ok = takenAt >= EARLIEST_PLAUSIBLE_CAPTURE && takenAt.getTime() <= now.getTime() + FUTURE_TOLERANCE_MS;
  if (!ok && label) notes.push(`${label} (${takenAt.toISOString().slice(0, 10)}) is not a plausible capture date: it was ignored`);
  return ok;
}

const ISO_6709 = /^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?(?:CRS[^/]*)?\/?$/;

/** ISO 6709 as phones write it: decimal degrees ("+52.4597"), or degrees-minutes(-seconds) by the integer part's length. */
export function parseIso6709(value: string): { latitude: number; longitude: number } | null {
  const match = ISO_6709.exec(value.replace(/\0/g, '').trim());
  if (!match) return null;
  const latitude = sexagesimal(match[1]!, 2);
  const longitude = sexagesimal(match[2]!, 3);
  return latitude === null || longitude === null ? null : { latitude, longitude };
}

/** ±DD.D, ±DDMM.M or ±DDMMSS.S (latitude; one more degree digit for longitude). */
function sexagesimal(value: string, degreeDigits: number): number | null {
  const sign = value.startsWith('-') ? -1 : 1;
  const [whole = '', fraction = ''] = value.slice(1).split('.');
  const decimals = fraction ? Number(`0.${fraction}`) : 0;
  let degrees: number;
  if (whole.length === degreeDigits) degrees = Number(whole) + decimals;
  else if (whole.length === degreeDigits + 2) degrees = Number(whole.slice(0, degreeDigits)) + (Number(whole.slice(degreeDigits)) + decimals) / 60;
  else if (whole.length === degreeDigits + 4)
    degrees =
      Number(whole.slice(0, degreeDigits)) +
      Number(whole.slice(degreeDigits, degreeDigits + 2)) / 60 +
      (Number(whole.slice(degreeDigits + 2)) + decimals) / 3600;
  else return null;
  return Number.isFinite(degrees) ? sign * degrees : null;
}

function readPosition(value: string | null, notes: string[]): { latitude: number; longitude: number } | null {
  if (!value) return null;
  const position = parseIso6709(value);
  if (!position) return null;
  if (position.latitude === 0 && position.longitude === 0) return null;
  if (Math.abs(position.latitude) > 90 || Math.abs(position.longitude) > 180) {
    notes.push(`The GPS position (${value.trim()}) is not on Earth: it was ignored`);
    return null;
  }
  return position;
}

function text(value: string | number | undefined): string | null {
  if (typeof value !== 'string') return null;
  const clean = value.replace(/\0/g, '').replace(/\s+/g, ' ').trim();
  return clean ? clean.slice(0, TEXT_MAX) : null;
}

/** Apple writes a UUID; anything that is not a short printable token is ignored. */
function contentIdentifier(value: string | number | undefined): string | null {
  const id = text(value);
  return id && /^[A-Za-z0-9._:-]{1,64}$/.test(id) ? id : null;
}
