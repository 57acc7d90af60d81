/**
 * A photo's metadata from what its library reported in the listing (Google
 * Drive's imageMediaMetadata), for photos whose file is never downloaded. It
 * follows readPhotoMetadata's rules wherever the listing allows: a capture time
 * without a zone is read in the zone of the GPS position, else in the user's
 * home zone (Drive drops the offset the camera wrote; see floating-time.ts), and
 * a photo the library knows no capture time for is dated by the file's time,
 * marked as a guess.
 */
import type { PhotoMetadata } from './exif.js';
import { captureZone, resolveFloatingTime } from './floating-time.js';
import { rotateClockwise, toExifOrientation } from './image-orientation.js';

export interface ListedMetadata {
  /** Floating: the wall clock in the Date's UTC fields. */
  takenAt?: Date | null;
  latitude?: number | null;
  longitude?: number | null;
  cameraMake?: string | null;
  cameraModel?: string | null;
  /** Clockwise quarter turns that make the stored picture upright. */
  rotation?: number | null;
}

export async function metadataFromListing(
  listed: ListedMetadata,
  fileModifiedAt: Date | null,
  homeTimeZone: () => Promise<string | null>,
): Promise<PhotoMetadata> {
  const latitude = listed.latitude ?? null;
  const longitude = listed.longitude ?? null;
  const hasPosition = latitude !== null && longitude !== null;
  const home = hasPosition ? null : await homeTimeZone();
  let dated: Pick<PhotoMetadata, 'takenAt' | 'timeZone' | 'takenAtSource'> = { takenAt: null, timeZone: null, takenAtSource: null };
  if (listed.takenAt) {
    dated = { ...resolveFloatingTime(listed.takenAt, latitude, longitude, home), takenAtSource: 'library' };
  } else if (fileModifiedAt) {
    // An instant already: only its zone is to be found.
    dated = { takenAt: fileModifiedAt, timeZone: captureZone(latitude, longitude, home) ?? 'Etc/UTC', takenAtSource: 'file-time' };
  }
  const rotation = listed.rotation ?? null;
  return {
    ...dated,
    latitude,
    longitude,
    cameraMake: listed.cameraMake ?? null,
    cameraModel: listed.cameraModel ?? null,
    orientation: rotation === null ? null : toExifOrientation(rotateClockwise(rotation)),
    notes: [],
  };
}
