/**
 * Blur placeholders: a ThumbHash (about 25 bytes, base64 in the photo row) that
 * the browser turns into a tiny blurred image, so a grid paints at once, in the
 * photo's colours and aspect, before any image arrives.
 */
import { rgbaToThumbHash } from 'thumbhash';

/** ThumbHash takes images of at most 100×100 pixels. */
export const PLACEHOLDER_INPUT_SIZE = 100;

export function placeholderOfRgba(width: number, height: number, rgba: Uint8Array): string {
  return Buffer.from(rgbaToThumbHash(width, height, rgba)).toString('base64');
}
