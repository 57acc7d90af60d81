/**
 * Everything ingest needs from a photo's pixels, from a single decode: its
 * format and oriented size, a small WebP thumbnail, and a 64-bit perceptual hash
 * computed from the thumbnail's pixels.
 *
 * Accepted: JPEG, PNG, WebP, TIFF, AVIF and HEIC/HEIF. sharp decodes all but
 * HEIC (its prebuilt libvips has no HEVC decoder, for patent reasons); HEIC goes
 * through libheif in WebAssembly (heic-decoder.ts) and reaches sharp as raw RGBA.
 * Refused: SVG (a drawing, and XML that may reference other files), GIF
 * (animations and clip-art, not camera output), animated WebP, anything else.
 * The caller sets sharp.concurrency.
 */
import { open, readFile } from 'node:fs/promises';
import exifr from 'exifr';
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { decodeHeic, HeicDecodeError } from './heic-decoder.js';
import { HeifContainerError, readHeifPrimaryImage } from './heif-container.js';
import { sniffImageFormat, type PhotoFormat, type SniffedFormat } from './image-format.js';
import { compose, fromExifOrientation, IDENTITY, invert, type Orientation, swapsSides } from './image-orientation.js';
import { HASH_INPUT_SIZE, perceptualHashOfGrey } from './perceptual-hash.js';
import { PLACEHOLDER_INPUT_SIZE, placeholderOfRgba } from './placeholder.js';
import { InvalidPhotoError } from './photo-errors.js';

export const DEFAULT_THUMBNAIL_WIDTH = 400;
export const DEFAULT_MAX_PIXELS = 100_000_000;
const THUMBNAIL_QUALITY = 75;
/** WebP effort 0: 3.8 ms for a 400 px thumbnail against 6.0 ms at effort 2 and 15.8 ms at the default 4, for about 1.4 kB more (docs/BENCHMARKS.md). */
const THUMBNAIL_EFFORT = 0;
/** The lightbox's preview: fits 2048 × 2048, so a 1920 px screen shows a photo at its full width. */
export const PREVIEW_SIZE = 2048;
const PREVIEW_QUALITY = 78;
/** Effort 0: the preview is made for every photo at ingest, so its encode time counts (docs/BENCHMARKS.md, bench:ingest). */
const PREVIEW_EFFORT = 0;
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
  /** The ~2048 px WebP the lightbox shows, upright and without metadata (when `previewSize` was asked). */
  preview?: Thumbnail;
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
  /**
   * Also a preview fitting a box this large (never enlarged), from the same decode: the thumbnail, hash
   * and placeholder are then made from the preview's pixels rather than from the original again.
   */
  previewSize?: number;
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
  const pixels = await openPhotoPixels(input, { maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS });
  const rendition = await analyzeRendition(pixels, options.thumbnailWidth ?? DEFAULT_THUMBNAIL_WIDTH, options.previewSize);
  return { ...rendition, width: pixels.width, height: pixels.height };
}

export interface AnalyzeThumbnailOptions extends Pick<AnalyzeImageOptions, 'thumbnailWidth' | 'previewSize'> {
  /**
   * The photo as its source says it is shown: its upright size and the clockwise quarter turns its EXIF
   * orientation asks for (Drive's `rotation`). A rendition that still shows the stored picture (its sides
   * the other way round from `width` and `height`) is turned; one already upright is kept as it is. Half a
   * turn cannot be told by shape, so such a rendition is taken as upright, as Drive serves them.
   */
  upright?: { width: number; height: number; quarterTurns: number };
}

/**
 * For sources that only hand out a small rendition (Google Drive thumbnails,
 * 220–1600 px). The pipeline after decoding is the one analyzeImage runs, so the
 * hash is comparable with the hash of the full file of the same photo.
 */
export async function analyzeThumbnail(input: Buffer, options: AnalyzeThumbnailOptions = {}): Promise<RenditionAnalysis> {
  const pixels = await openPhotoPixels(input, { maxPixels: DEFAULT_MAX_PIXELS });
  const turns = stillStoredTurns(pixels, options.upright);
  const turned = turns ? { ...pixels, pipeline: pixels.pipeline.rotate(turns * 90) } : pixels;
  return analyzeRendition(turned, options.thumbnailWidth ?? DEFAULT_THUMBNAIL_WIDTH, options.previewSize);
}

function stillStoredTurns(rendition: { width: number; height: number }, upright: AnalyzeThumbnailOptions['upright']): number {
  if (!upright || upright.quarterTurns % 2 === 0 || upright.width === upright.height || rendition.width === rendition.height) return 0;
  const renditionIsPortrait = rendition.height > rendition.width;
  const photoIsPortrait = upright.height > upright.width;
  return renditionIsPortrait === photoIsPortrait ? 0 : upright.quarterTurns % 4;
}

/** A photo's pixels, upright, ready for sharp to resize: the one decode every rendition starts from. */
export interface PhotoPixels {
  format: PhotoFormat;
  /** Upright size of the whole photo. */
  width: number;
  height: number;
  /** Upright; resize and encode from here. */
  pipeline: Sharp;
}

/**
 * Checks the file (its format by content, its size in pixels from its header, so a
 * bomb is refused before it is decoded) and opens its pixels upright. Throws
 * InvalidPhotoError with a reason a user can read.
 */
export async function openPhotoPixels(input: ImageInput, { maxPixels }: { maxPixels: number }): Promise<PhotoPixels> {
  const format = await acceptedFormat(input);
  if (format === 'heic') return openHeic(typeof input === 'string' ? await readFile(input) : input, maxPixels);
  const header = await readHeader(input, format, maxPixels);
  // JPEG and WebP shrink while decoding; 'truncated' refuses half-downloaded files instead of returning them padded with grey.
  const pipeline = sharp(input, { failOn: 'truncated', limitInputPixels: maxPixels, sequentialRead: true }).rotate();
  return { format, ...header, pipeline };
}

/**
 * HEIF files carry their orientation twice: as `irot`/`imir` transforms, which
 * libheif applies while decoding, and as the EXIF Orientation tag. iPhones write
 * the two in agreement. When they disagree, the EXIF tag wins: in the real files
 * tested (tests/fixtures/real-media), a Nokia 8.3 HEIF with a 90° `irot` but EXIF
 * Orientation 1 and an iPhone 7 HEIC without `irot` but Orientation 6 are both
 * upright only by their EXIF tag. So the decoded picture is turned back by the
 * file's transforms and then by the EXIF orientation, when the file has one.
 */
async function openHeic(bytes: Buffer, maxPixels: number): Promise<PhotoPixels> {
  let container;
  try {
    container = readHeifPrimaryImage(bytes);
  } catch (error) {
    if (error instanceof HeifContainerError) throw new InvalidPhotoError('The HEIC file is truncated or corrupt', { cause: error });
    throw error;
  }
  if (container.width * container.height > maxPixels) throw tooManyPixels(container.width, container.height, maxPixels);
  if (container.width * container.height === 0) throw new InvalidPhotoError('The HEIC image has no pixels');
  const exifOrientation = fromExifOrientation(await exifr.orientation(bytes).catch(() => undefined));
  let decoded;
  try {
    decoded = await decodeHeic(bytes, { maxPixels });
  } catch (error) {
    if (!(error instanceof HeicDecodeError)) throw error;
    if (error.kind === 'too-slow')
      throw new InvalidPhotoError(`The HEIC file could not be decoded in time (${error.message}); it may be damaged`, { cause: error });
    if (error.kind === 'too-large') throw tooManyPixels(container.width, container.height, maxPixels);
    throw new InvalidPhotoError(`The HEIC file is truncated or corrupt (${error.message})`, { cause: error });
  }
  const turn: Orientation = exifOrientation ? compose(invert(container.transform), exifOrientation) : IDENTITY;
  let pipeline = sharp(decoded.data, { raw: { width: decoded.width, height: decoded.height, channels: 4 }, limitInputPixels: maxPixels });
  if (turn.mirror) pipeline = pipeline.flop();
  if (turn.quarterTurns) pipeline = pipeline.rotate(turn.quarterTurns * 90);
  const [width, height] = swapsSides(turn) ? [decoded.height, decoded.width] : [decoded.width, decoded.height];
  return { format: 'heic', width, height, pipeline };
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
    throw new InvalidPhotoError(
      animated ? 'Animated GIFs are not supported, only photos' : `GIF images are not supported, only photos (${SUPPORTED})`,
    );
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

async function analyzeRendition(
  { format, pipeline }: Pick<PhotoPixels, 'format' | 'pipeline'>,
  thumbnailWidth: number,
  previewSize?: number,
): Promise<RenditionAnalysis> {
  const thumbnailBox = { width: thumbnailWidth, height: thumbnailWidth * MAX_THUMBNAIL_ASPECT, fit: 'inside', withoutEnlargement: true } as const;
  let pixels: { data: Buffer; info: OutputInfo };
  let preview: Thumbnail | undefined;
  try {
    const decoded = pipeline.resize(
      previewSize ? { width: previewSize, height: previewSize, fit: 'inside', withoutEnlargement: true } : thumbnailBox,
    );
    pixels = await decoded.flatten({ background: '#ffffff' }).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (previewSize) {
      const base = { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels };
      const [webp, small] = await Promise.all([
        sharp(pixels.data, { raw: base }).webp({ quality: PREVIEW_QUALITY, effort: PREVIEW_EFFORT }).toBuffer(),
        sharp(pixels.data, { raw: base }).resize(thumbnailBox).raw().toBuffer({ resolveWithObject: true }),
      ]);
      preview = { data: webp, width: base.width, height: base.height };
      pixels = small;
    }
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
    ...(preview ? { preview } : {}),
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
  if (/pixel limit/i.test(message)) return new InvalidPhotoError('The image is too large to decode safely', { cause: error });
  return new InvalidPhotoError(`The ${FORMAT_NAMES[format]} file is truncated or corrupt`, { cause: error });
}
