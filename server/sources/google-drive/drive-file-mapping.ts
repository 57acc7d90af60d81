/** From Drive's file resource to the product's SourceFile: pure, so it is tested on its own. */
import type { SourceFile, SourceFileMetadata } from '../photo-source.js';
import type { DriveFile } from './drive-schemas.js';

/** A photo or a video: what a scan ingests. */
export function isImage(file: DriveFile): boolean {
  return file.mimeType.startsWith('image/') || isVideo(file);
}

export function isVideo(file: DriveFile): boolean {
  return file.mimeType.startsWith('video/');
}

export function isLiveImage(file: DriveFile): boolean {
  return isImage(file) && file.trashed !== true;
}

export function toSourceFile(file: DriveFile): SourceFile {
  return {
    fileId: file.id,
    name: file.name,
    mimeType: file.mimeType,
    size: file.size === undefined ? null : Number(file.size),
    modifiedAt: file.modifiedTime ? new Date(file.modifiedTime) : null,
    // Drive has no md5 for some files (e.g. in some shared drives); then an edit still changes mtime and size.
    fingerprint: file.md5Checksum?.toLowerCase() ?? `mtime:${file.modifiedTime ?? '?'}/size:${file.size ?? '?'}`,
    metadata: metadataOf(file),
  };
}

function metadataOf(file: DriveFile): SourceFileMetadata {
  if (isVideo(file)) return videoMetadataOf(file);
  const image = file.imageMediaMetadata;
  const position = coordinates(image?.location?.latitude, image?.location?.longitude);
  const rotation = quarterTurns(image?.rotation);
  // Drive's width and height are the stored pixels'; a photo turned a quarter is as wide as they are high.
  const [width, height] = rotation !== null && rotation % 2 === 1 ? [image?.height, image?.width] : [image?.width, image?.height];
  return {
    takenAt: image?.time ? floatingWallTime(image.time) : null,
    latitude: position?.latitude ?? null,
    longitude: position?.longitude ?? null,
    width: width || null,
    height: height || null,
    rotation,
    cameraMake: image?.cameraMake?.trim() || null,
    cameraModel: image?.cameraModel?.trim() || null,
    md5: file.md5Checksum?.toLowerCase() ?? null,
    hasThumbnail: Boolean(file.thumbnailLink),
    thumbnailLink: file.thumbnailLink ?? null,
  };
}

/**
 * A video's date and place are not in Drive's answer: ingest downloads it (it is copied to storage to be
 * played anyway) and reads them from its QuickTime index. Its md5 still serves as the sync fingerprint.
 */
function videoMetadataOf(file: DriveFile): SourceFileMetadata {
  const video = file.videoMediaMetadata;
  const duration = video?.durationMillis === undefined ? null : Number(video.durationMillis);
  return {
    width: video?.width || null,
    height: video?.height || null,
    durationMs: duration !== null && Number.isSafeInteger(duration) ? duration : null,
    md5: file.md5Checksum?.toLowerCase() ?? null,
    hasThumbnail: false,
    thumbnailLink: null,
  };
}

const EXIF_DATE_TIME = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/;

/**
 * Drive's imageMediaMetadata.time is the camera's wall clock ("2019:07:04
 * 21:15:02") with no zone. It is returned as a *floating* time: the Date whose
 * UTC fields are those wall-clock fields. The ingest turns it into an instant
 * with the zone at the photo's GPS position (or the user's zone); it must read
 * it with getUTC*() and never treat it as an instant as-is.
 * Null when the value is not a real calendar date (cameras write "0000:00:00 00:00:00").
 */
export function floatingWallTime(exifTime: string): Date | null {
  const match = EXIF_DATE_TIME.exec(exifTime.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const roundTrips =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return roundTrips && year >= 1900 ? date : null;
}

function coordinates(latitude: number | undefined, longitude: number | undefined) {
  if (latitude === undefined || longitude === undefined) return null;
  const valid = Number.isFinite(latitude) && Number.isFinite(longitude) && Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180;
  return valid ? { latitude, longitude } : null;
}

/** Drive's `rotation`, clockwise quarter turns; anything but 0–3 is not a rotation Drive documents. */
function quarterTurns(rotation: number | undefined): number | null {
  return rotation !== undefined && Number.isInteger(rotation) && rotation >= 0 && rotation <= 3 ? rotation : null;
}
