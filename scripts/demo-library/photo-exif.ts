/**
 * Writes camera-like EXIF into JPEGs with sharp: IFD0 (make, model), the Exif
 * IFD (IFD2: capture time, sub-seconds, offset) and the GPS IFD (IFD3, with
 * rationals written as "52/1 21/1 4392/100"). Orientation goes through
 * withMetadata, because sharp rewrites the IFD0 Orientation tag itself.
 */
import sharp, { type Exif } from 'sharp';
import type { RawImage } from './stage-scene.js';

export interface PhotoExif {
  /** Local wall time as the camera's clock showed it: "2019-07-05T21:34:56". */
  localTime?: string;
  /** SubSecTimeOriginal digits, e.g. "120". */
  subSeconds?: string;
  /** OffsetTimeOriginal, e.g. "+02:00". */
  offset?: string;
  latitude?: number;
  longitude?: number;
  make?: string;
  model?: string;
  /** EXIF orientation 1–8; the pixels are left as they are, as a camera does. */
  orientation?: number;
}

export interface EncodeJpegOptions {
  quality?: number;
  exif?: PhotoExif;
}

export async function encodeJpeg(image: RawImage, options: EncodeJpegOptions = {}): Promise<Buffer> {
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    // Huffman optimisation off: cameras don't do it, and it doubles the encode time.
    .jpeg({ quality: options.quality ?? 90, optimiseCoding: false });
  const exif = options.exif;
  if (exif) {
    pipeline = pipeline.withExif(sharpExif(exif));
    if (exif.orientation !== undefined) pipeline = pipeline.withMetadata({ orientation: exif.orientation });
  }
  return pipeline.toBuffer();
}

/** The tag layout sharp's withExif expects (all values are strings). */
export function sharpExif(exif: PhotoExif): Exif {
  const ifd0: Record<string, string> = {};
  const exifIfd: Record<string, string> = {};
  const gpsIfd: Record<string, string> = {};
  if (exif.make) ifd0.Make = exif.make;
  if (exif.model) ifd0.Model = exif.model;
  if (exif.localTime) {
    const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})$/.exec(exif.localTime);
    if (!match) throw new RangeError(`localTime must look like 2019-07-05T21:34:56, got ${exif.localTime}`);
    const exifDate = `${match[1]}:${match[2]}:${match[3]} ${match[4]}`;
    exifIfd.DateTimeOriginal = exifDate;
    exifIfd.DateTimeDigitized = exifDate;
    ifd0.DateTime = exifDate;
  }
  if (exif.subSeconds) exifIfd.SubSecTimeOriginal = exif.subSeconds;
  if (exif.offset) {
    exifIfd.OffsetTimeOriginal = exif.offset;
    exifIfd.OffsetTimeDigitized = exif.offset;
  }
  if (exif.latitude !== undefined && exif.longitude !== undefined) {
    gpsIfd.GPSLatitudeRef = exif.latitude < 0 ? 'S' : 'N';
    gpsIfd.GPSLatitude = degreesAsRationals(exif.latitude);
    gpsIfd.GPSLongitudeRef = exif.longitude < 0 ? 'W' : 'E';
    gpsIfd.GPSLongitude = degreesAsRationals(exif.longitude);
  }
  const result: Exif = { IFD0: ifd0 };
  if (Object.keys(exifIfd).length) result.IFD2 = exifIfd;
  if (Object.keys(gpsIfd).length) result.IFD3 = gpsIfd;
  return result;
}

/** Degrees, minutes and seconds as EXIF rationals; seconds in 1/10000 (about 3 mm). */
export function degreesAsRationals(value: number): string {
  const absolute = Math.abs(value);
  let degrees = Math.floor(absolute);
  let minutes = Math.floor((absolute - degrees) * 60);
  let tenThousandthSeconds = Math.round(((absolute - degrees) * 60 - minutes) * 60 * 10_000);
  if (tenThousandthSeconds >= 600_000) {
    tenThousandthSeconds -= 600_000;
    minutes += 1;
  }
  if (minutes >= 60) {
    minutes -= 60;
    degrees += 1;
  }
  return `${degrees}/1 ${minutes}/1 ${tenThousandthSeconds}/10000`;
}
