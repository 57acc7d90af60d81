/**
 * manifest.json of a generated demo library: the ground truth that tests and the
 * local stand-ins for setlist.fm and Overpass read. Paths are relative to the
 * library root and use forward slashes.
 */
import type { SetlistSet, SupportingAct } from '../../shared/concert.schema.js';

/** Bump when the same options would produce different bytes. */
export const GENERATOR_VERSION = 1;

export interface DemoVenue {
  /** Stable key for stand-ins and fixtures. */
  key: string;
  name: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
  address: string;
  latitude: number;
  longitude: number;
  timeZone: string;
}

export interface DemoCamera {
  make: string;
  model: string;
  /** Writes OffsetTimeOriginal (recent phones and cameras do). */
  writesOffset: boolean;
  /** Digits of SubSecTimeOriginal, 0 when the camera writes none. */
  subSecondDigits: 0 | 2 | 3;
  /** File name of the n-th shot, as this camera names it. */
  fileName: 'IMG' | 'DSC' | 'DSCF' | 'PXL' | 'SAMSUNG';
}

export interface DemoConcert {
  /** e.g. "2019-07-05-olympia". */
  id: string;
  artist: string;
  supportingActs: SupportingAct[];
  tour: string;
  venue: DemoVenue;
  /** The evening's local date at the venue; photos after midnight still belong to it. */
  localDate: string;
  /** Local wall time the headliner started, "21:10". */
  headlinerStart: string;
  setlist: SetlistSet[];
  camera: DemoCamera;
  /** Every readable photo of the show (duplicates included), in capture order. */
  files: string[];
}

export interface DemoPhoto {
  path: string;
  concertId: string;
  /** Local wall time written as DateTimeOriginal, "2019-07-05T21:34:56". */
  localTime: string;
  subSeconds: string | null;
  /** OffsetTimeOriginal when written, "+02:00". */
  utcOffset: string | null;
  /**
   * The true instant (venue zone), ISO 8601 UTC. readPhotoMetadata finds it when
   * the photo has an offset or GPS; without both it returns the floating time
   * (localTime read as UTC).
   */
  takenAt: string;
  /** As written in EXIF (jittered around the venue); null when the photo has no GPS. */
  latitude: number | null;
  longitude: number | null;
  cameraMake: string;
  cameraModel: string;
  orientation: 1 | 6;
  /** As displayed (after orientation). */
  width: number;
  height: number;
}

export type DemoSpecialFile =
  | { kind: 'burst'; path: string; burstOf: string; frame: number }
  | { kind: 'exact-duplicate'; path: string; duplicateOf: string }
  | { kind: 'near-duplicate'; path: string; duplicateOf: string; variant: 'resized' | 'recompressed' | 'cropped' }
  | { kind: 'broken'; path: string; problem: 'empty' | 'truncated' | 'not-an-image'; derivedFrom: string | null }
  | { kind: 'no-gps'; path: string }
  | { kind: 'after-midnight'; path: string; concertId: string; localTime: string };

export type DemoSpecialKind = DemoSpecialFile['kind'];

export interface DemoFile {
  path: string;
  sha256: string;
  byteSize: number;
}

export interface DemoLibraryOptionsUsed {
  seed: number;
  concerts: number;
  photosPerConcert: number;
  width: number;
  height: number;
}

export interface DemoLibraryManifest {
  generatorVersion: number;
  options: DemoLibraryOptionsUsed;
  concerts: DemoConcert[];
  /** Every photo with EXIF (originals, burst frames, duplicates), by path. */
  photos: DemoPhoto[];
  specialFiles: DemoSpecialFile[];
  /** Every file written, broken ones included, sorted by path. */
  files: DemoFile[];
}
