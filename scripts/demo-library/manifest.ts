/**
 * manifest.json of a generated demo library: the ground truth that tests and the
 * local stand-ins for setlist.fm and Overpass read. Paths are relative to the
 * library root and use forward slashes.
 */
import type { SetlistSet, SupportingAct } from '../../shared/concert.schema.js';

/** Bump when the same options would produce different bytes. */
export const GENERATOR_VERSION = 2;

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

/** A stage of a festival site: where the photos of its acts were taken. */
export interface DemoStage {
  /** As setlist.fm names it before the site: "Main Stage" of "Main Stage, Flevopark". */
  name: string;
  latitude: number;
  longitude: number;
}

export interface DemoFestivalAct {
  /** e.g. "2023-07-22-flevopark-main-stage-orchid-telegraph": the `concertId` of its photos. */
  id: string;
  artist: string;
  /** One of the festival's `stages` (its name). */
  stage: string;
  /** Local wall times, "HH:mm"; an end before the start is after midnight. setlist.fm knows neither. */
  setStart: string;
  setEnd: string;
  /** What the setlist.fm stand-in answers for this act (6–14 songs, one set). */
  setlist: SetlistSet[];
  /** Its photos, in capture order; empty for an act the fan did not photograph. */
  files: string[];
}

export interface DemoFestivalDay {
  /** The day's local date; photos until 05:00 the next morning still belong to it. */
  localDate: string;
  /** The whole lineup of the day, every stage, by set start. */
  acts: DemoFestivalAct[];
}

/** A festival on consecutive days: every act the fan photographed is a concert of its own. */
export interface DemoFestival {
  /** e.g. "2023-07-21-flevopark" (first day and site). */
  id: string;
  /** The festival's own name (fictional; setlist.fm names only the stages). */
  name: string;
  /** The site as OpenStreetMap knows it: what venue detection finds. */
  site: DemoVenue;
  stages: DemoStage[];
  camera: DemoCamera;
  days: DemoFestivalDay[];
}

export interface DemoPhoto {
  path: string;
  /** The concert, or for a festival photo the act (a `DemoFestivalAct` id). */
  concertId: string;
  /** The festival whose act `concertId` is; null for a concert's photo. */
  festivalId: string | null;
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
  /** concertId: a concert's or a festival act's id. */
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
  /** The demo festival (two days at Flevopark) is in the library. */
  festival: boolean;
  width: number;
  height: number;
}

export interface DemoLibraryManifest {
  generatorVersion: number;
  options: DemoLibraryOptionsUsed;
  concerts: DemoConcert[];
  /** Empty unless `options.festival`. */
  festivals: DemoFestival[];
  /** Every photo with EXIF (originals, burst frames, duplicates), by path. */
  photos: DemoPhoto[];
  specialFiles: DemoSpecialFile[];
  /** Every file written, broken ones included, sorted by path. */
  files: DemoFile[];
}
