/**
 * The renditions of a starred photo: WebP at 400, 800 and 1200 px wide, upright
 * (EXIF orientation applied; HEIC decoded as ingest does) and without any metadata, so no GPS position or
 * camera serial leaves the server in a variant.
 *
 * One decode serves all three: the original is decoded once, shrinking while it
 * decodes (JPEG shrink-on-load), to the largest width; the smaller ones are
 * resized from those pixels rather than from the original again.
 */
import sharp, { type OutputInfo } from 'sharp';
import { openPhotoPixels } from './image-analysis.js';
import { InvalidPhotoError } from './photo-errors.js';

export const VARIANT_WIDTHS = [400, 800, 1200] as const;
export type VariantWidth = (typeof VARIANT_WIDTHS)[number];
const VARIANT_QUALITY = 80;
/** WebP effort 2: most of effort 4's size savings at about half its time. */
const VARIANT_EFFORT = 2;
/**
 * WebP stores at most 16383 pixels a side. A variant is bounded by width only
 * otherwise, so a photo taller than that at its width (a 1×65000 strip, a long
 * screenshot) is scaled to fit, not failed: ingest accepted it, so it can be starred.
 */
export const WEBP_MAX_DIMENSION = 16_383;

export interface Variant {
  width: VariantWidth;
  /** What was rendered: a photo narrower than `width` is never enlarged. */
  pixelWidth: number;
  pixelHeight: number;
  data: Buffer;
}

/** `original`: the bytes or the path of a file holding them (read in pieces by sharp). */
export async function renderVariants(
  original: Buffer | string,
  { maxPixels }: { maxPixels: number },
  widths: readonly VariantWidth[] = VARIANT_WIDTHS,
): Promise<Variant[]> {
  const largest = Math.max(...widths);
  // The same checks and decoders as ingest (HEIC through libheif), already upright.
  const { pipeline } = await openPhotoPixels(original, { maxPixels });
  let base: { data: Buffer; info: OutputInfo };
  try {
    base = await pipeline
      .resize({ width: largest, height: WEBP_MAX_DIMENSION, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new InvalidPhotoError(`The photo could not be decoded for its renditions: ${(error as Error).message}`, { cause: error });
  }
  const raw = { width: base.info.width, height: base.info.height, channels: base.info.channels };
  try {
    return await Promise.all(
      widths.map(async (width) => {
        const resized = sharp(base.data, { raw }).resize({ width, height: WEBP_MAX_DIMENSION, fit: 'inside', withoutEnlargement: true });
        const { data, info } = await resized.webp({ quality: VARIANT_QUALITY, effort: VARIANT_EFFORT }).toBuffer({ resolveWithObject: true });
        return { width, pixelWidth: info.width, pixelHeight: info.height, data };
      }),
    );
  } catch (error) {
    // Decoded pixels that cannot be encoded fail the same way every time: a reason, not a retry.
    throw new InvalidPhotoError(`The photo's full-size versions could not be made: ${(error as Error).message}`, { cause: error });
  }
}
