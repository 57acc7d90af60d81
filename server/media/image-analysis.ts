/**
 * Everything ingest needs from a photo's pixels, from a single decode: its
 * format and oriented size, a small WebP thumbnail, and a 64-bit perceptual hash
 * computed from the thumbnail's pixels.
 *
 * Accepted: JPEG, PNG, WebP, TIFF, AVIF, and HEIC when the installed libvips can
 * decode HEVC (sharp's prebuilt binaries cannot, for patent reasons: such files
 * are refused as "HEIC could not be decoded"). Refused: SVG (a drawing, and XML
 * that may reference other files), GIF (animations and clip-art, not camera
 * output), animated WebP, anything else. The caller sets sharp.concurrency.
 */
import { open } from 'node:fs/promises';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { sniffImageFormat, type PhotoFormat, type SniffedFormat } from './image-format.js';
import { HASH_INPUT_SIZE, perceptualHashOfGrey } from './perceptual-hash.js';
import { PLACEHOLDER_INPUT_SIZE, placeholderOfRgba } from './placeholder.js';
import { InvalidPhotoError } from './photo-errors.js';

export const DEFAULT_THUMBNAIL_WIDTH = 400;
export const DEFAULT_MAX_PIXELS = 100_000_000;
const THUMBNAIL_QUALITY = 75;
/** WebP effort 0: 3.8 ms for a 400 px thumbnail against 6.0 ms at effort 2 and 15.8 ms at the default 4, for about 1.4 kB more (docs/BENCHMARKS.md). */
const THUMBNAIL_EFFORT = 0;
/** Panoramas keep the thumbnail width, but their height stays bounded (WebP's limit is 16383). */
const MAX_THUMBNAIL_ASPECT = 4;

export interface Thumbnail {
  /** WebP, without any metadata (no GPS, no camera serial). */
  data: Buffer;
  width: number;
  height: number;
}

export interface ImageAnalysis {
  format: PhotoFormat;
  /** Of the original, after applying its EXIF orientation. */
  width: number;
  height: number;
  thumbnail: Thumbnail;
  /** 64-bit unsigned DCT hash; compare with hammingDistance from shared/hamming.ts. */
  perceptualHash: bigint;
  /** ThumbHash (base64) of the photo: a blurred stand-in the browser paints before the image arrives. */
  placeholder: string;
}

/** What a small rendition (a Drive thumbnail) tells: its size says nothing about the original's. */
export type RenditionAnalysis = Omit<ImageAnalysis, 'width' | 'height'>;

export interface AnalyzeImageOptions {
  thumbnailWidth?: number;
  /** Larger images are refused as decompression bombs. */
  maxPixels?: number;
}

const FORMAT_NAMES: Record<SniffedFormat, string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  tiff: 'TIFF',
  avif: 'AVIF',
  heic: 'HEIC',
  gif: 'GIF',
  svg: 'SVG',
  unknown: 'unknown',
};

/**
 * The photo's bytes, or the path of a file holding them: sharp then reads the file in
 * pieces as it decodes, so a large file never sits in memory whole.
 */
export type ImageInput = Buffer | string;

/** Enough of the start of a file for sniffImageFormat (an SVG is recognised within its first 1 kB). */
const HEAD_BYTES = 4096;

async function headOf(input: ImageInput): Promise<Buffer> {
  if (typeof input !== 'string') return input;
  const file = await open(input, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await file.read(head, 0, HEAD_BYTES, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Throws InvalidPhotoError with a reason a user can read when the file is not a usable photo. */
export async function analyzeImage(input: ImageInput, options: AnalyzeImageOptions = {}): Promise<ImageAnalysis> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const format = await acceptedFormat(input);
  const header = await readHeader(input, format, maxPixels);
  const rendition = await analyzeRendition(input, format, options.thumbnailWidth ?? DEFAULT_THUMBNAIL_WIDTH, maxPixels);
  return { ...rendition, width: header.width, height: header.height };
}

/**
 * For sources that only hand out a small rendition (Google Drive thumbnails,
 * 220–1600 px). The pipeline after decoding is the one analyzeImage runs, so the
 * hash is comparable with the hash of the full file of the same photo.
 */
export async function analyzeThumbnail(input: Buffer, options: Pick<AnalyzeImageOptions, 'thumbnailWidth'> = {}): Promise<RenditionAnalysis> {
  const format = await acceptedFormat(input);
  await readHeader(input, format, DEFAULT_MAX_PIXELS);
  return analyzeRendition(input, format, options.thumbnailWidth ?? DEFAULT_THUMBNAIL_WIDTH, DEFAULT_MAX_PIXELS);
}

const SUPPORTED = 'JPEG, PNG, WebP, TIFF, AVIF, HEIC';

async function acceptedFormat(input: ImageInput): Promise<PhotoFormat> {
  const head = await headOf(input);
  if (head.length === 0) throw new InvalidPhotoError('The file is empty');
  const format = sniffImageFormat(head);
  if (format === 'svg') throw new InvalidPhotoError(`SVG drawings are not supported, only photos (${SUPPORTED})`);
  if (format === 'unknown') throw new InvalidPhotoError(`The file is not an image (supported: ${SUPPORTED})`);
  if (format === 'gif') {
    const animated = ((await readMetadata(input, format)).pages ?? 1) > 1;
    throw new InvalidPhotoError(animated ? 'Animated GIFs are not supported, only photos' : `GIF images are not supported, only photos (${SUPPORTED})`);
  }
  return format;
}

async function readMetadata(input: ImageInput, format: SniffedFormat): Promise<Metadata> {
  try {
    // Reads the header only: no pixel is decoded, so a bomb is measured before it can go off.
    return await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw invalidPhotoFrom(error, format);
  }
}

async function readHeader(input: ImageInput, format: PhotoFormat, maxPixels: number): Promise<{ width: number; height: number }> {
  const metadata = await readMetadata(input, format);
  if (format === 'webp' && (metadata.pages ?? 1) > 1) throw new InvalidPhotoError('Animated WebP images are not supported, only photos');
  const pixels = metadata.width * metadata.height;
  if (pixels > maxPixels) throw tooManyPixels(metadata.width, metadata.height, maxPixels);
  if (pixels === 0) throw new InvalidPhotoError(`The ${FORMAT_NAMES[format]} image has no pixels`);
  return { width: metadata.autoOrient.width, height: metadata.autoOrient.height };
}

async function analyzeRendition(input: ImageInput, format: PhotoFormat, thumbnailWidth: number, maxPixels: number): Promise<RenditionAnalysis> {
  let pixels: { data: Buffer; info: OutputInfo };
  try {
    // The one decode. JPEG and WebP shrink while decoding; 'truncated' refuses
    // half-downloaded files instead of returning them padded with grey.
    pixels = await sharp(input, { failOn: 'truncated', limitInputPixels: maxPixels, sequentialRead: true })
      .rotate()
      .resize({ width: thumbnailWidth, height: thumbnailWidth * MAX_THUMBNAIL_ASPECT, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw invalidPhotoFrom(error, format);
  }
  const raw = { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels };
  const [webp, grey, small] = await Promise.all([
    sharp(pixels.data, { raw }).webp({ quality: THUMBNAIL_QUALITY, effort: THUMBNAIL_EFFORT }).toBuffer(),
    sharp(pixels.data, { raw }).greyscale().resize(HASH_INPUT_SIZE, HASH_INPUT_SIZE, { fit: 'fill' }).raw().toBuffer(),
    sharp(pixels.data, { raw })
      .resize(PLACEHOLDER_INPUT_SIZE, PLACEHOLDER_INPUT_SIZE, { fit: 'inside' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true }),
  ]);
  return {
    format,
    thumbnail: { data: webp, width: raw.width, height: raw.height },
    perceptualHash: perceptualHashOfGrey(grey),
    placeholder: placeholderOfRgba(small.info.width, small.info.height, small.data),
  };
}

function tooManyPixels(width: number, height: number, maxPixels: number): InvalidPhotoError {
  const megapixels = (n: number) => `${Math.round(n / 1e5) / 10} megapixels`;
  return new InvalidPhotoError(`The image is too large: ${width}×${height} pixels is over the limit of ${megapixels(maxPixels)}`);
}

function invalidPhotoFrom(error: unknown, format: SniffedFormat): InvalidPhotoError {
  const message = error instanceof Error ? error.message : String(error);
  if (format === 'heic') return new InvalidPhotoError('HEIC could not be decoded', { cause: error });
  if (/pixel limit/i.test(message)) return new InvalidPhotoError('The image is too large to decode safely', { cause: error });
  return new InvalidPhotoError(`The ${FORMAT_NAMES[format]} file is truncated or corrupt`, { cause: error });
}
