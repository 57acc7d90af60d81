/**
 * Where a photo's capture time was read, best first. Ingest walks this list and
 * takes the first source the file has; 'file-time' (the file's modification time)
 * is the last resort, a guess that the app shows as such.
 */
export const TAKEN_AT_SOURCES = [
  /** EXIF DateTimeOriginal. */
  'exif-original',
  /** EXIF CreateDate (DateTimeDigitized). */
  'exif-digitized',
  /** XMP exif:DateTimeOriginal, photoshop:DateCreated or xmp:CreateDate (Lightroom and Photoshop exports, PNGs). */
  'xmp',
  /** IPTC DateCreated with TimeCreated. */
  'iptc',
  /** The GPS receiver's UTC date and time stamp. */
  'gps',
  /** EXIF DateTime in IFD0: when the file was last written, often the capture time of an unedited photo. */
  'exif-modified',
  /** A video's creation date with its offset (QuickTime com.apple.quicktime.creationdate, or ©day). */
  'quicktime',
  /** A video's movie header creation time (mvhd), UTC by the specification. */
  'quicktime-utc',
  /** A capture time the library reported without our reading the file (Google Drive's imageMediaMetadata.time). */
  'library',
  /** The file's modification time: a guess. */
  'file-time',
] as const;
export type TakenAtSource = (typeof TAKEN_AT_SOURCES)[number];

/** Sources whose time is a guess rather than a capture time the camera recorded. */
export function isGuessedTakenAt(source: TakenAtSource | null | undefined): boolean {
  return source === 'file-time';
}
