import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  compose,
  fromExifOrientation,
  IDENTITY,
  invert,
  mirrorHorizontally,
  mirrorVertically,
  rotateClockwise,
  swapsSides,
  toExifOrientation,
} from './image-orientation.js';

/** 3×2 blocks of distinct colours, 20 px each: every one of the eight orientations looks different. */
const COLOURS = [
  [230, 25, 75],
  [60, 180, 75],
  [255, 225, 25],
  [0, 130, 200],
  [245, 130, 48],
  [145, 30, 180],
];
const BLOCK = 20;

async function blocks(): Promise<Buffer> {
  const width = 3 * BLOCK;
  const height = 2 * BLOCK;
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = COLOURS[Math.floor(y / BLOCK) * 3 + Math.floor(x / BLOCK)]!;
      data.set(colour, (y * width + x) * 3);
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** The colour at the centre of each 20 px block, row by row. */
async function blockColours(image: Sharp): Promise<string[]> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  const colours: string[] = [];
  for (let y = BLOCK / 2; y < info.height; y += BLOCK) {
    for (let x = BLOCK / 2; x < info.width; x += BLOCK) {
      const at = (y * info.width + x) * info.channels;
      colours.push([data[at], data[at + 1], data[at + 2]].map((v) => Math.round(v! / 16)).join(','));
    }
  }
  return colours;
}

describe('orientations', () => {
  it('turns a picture upright exactly as sharp does from the EXIF Orientation tag, for all eight values', async () => {
    const upright = await blocks();
    for (let exif = 1; exif <= 8; exif++) {
      const orientation = fromExifOrientation(exif)!;
      // A file stored so that EXIF orientation `exif` shows it upright: the upright picture turned back.
      const back = invert(orientation);
      let stored = sharp(upright);
      if (back.mirror) stored = stored.flop();
      const storedPng = await stored
        .rotate(back.quarterTurns * 90)
        .png()
        .toBuffer();
      const withTag = await sharp(storedPng).withMetadata({ orientation: exif }).jpeg({ quality: 100 }).toBuffer();
      const bySharp = await blockColours(sharp(withTag).rotate());
      let ours = sharp(storedPng);
      if (orientation.mirror) ours = ours.flop();
      const byUs = await blockColours(
        sharp(
          await ours
            .rotate(orientation.quarterTurns * 90)
            .png()
            .toBuffer(),
        ),
      );
      expect(byUs, `orientation ${exif}`).toEqual(bySharp);
      expect(byUs, `orientation ${exif}`).toEqual(await blockColours(sharp(upright)));
    }
  });

  it('maps EXIF values both ways and composes and inverts like the turns they are', () => {
    for (let exif = 1; exif <= 8; exif++) {
      const orientation = fromExifOrientation(exif)!;
      expect(toExifOrientation(orientation)).toBe(exif);
      expect(compose(orientation, invert(orientation))).toEqual(IDENTITY);
      expect(swapsSides(orientation)).toBe(exif >= 5);
    }
    expect(fromExifOrientation(9)).toBeNull();
    expect(fromExifOrientation(undefined)).toBeNull();
    expect(compose(rotateClockwise(1), rotateClockwise(1))).toEqual(rotateClockwise(2));
    expect(compose(rotateClockwise(3), rotateClockwise(2))).toEqual(rotateClockwise(1));
    expect(compose(mirrorHorizontally, mirrorHorizontally)).toEqual(IDENTITY);
    expect(toExifOrientation(mirrorVertically)).toBe(4);
    // Order matters: mirror then a quarter turn is 7 (ExifTool's "Mirror horizontal and rotate 90 CW"); the other order is 5.
    expect(toExifOrientation(compose(rotateClockwise(1), mirrorHorizontally))).toBe(5);
    expect(toExifOrientation(compose(mirrorHorizontally, rotateClockwise(1)))).toBe(7);
  });
});
