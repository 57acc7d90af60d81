import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { realFile } from '../../tests/fixtures/real-media/truth.js';
import { renderVariants, WEBP_MAX_DIMENSION } from './variants.js';

const MAX_PIXELS = 100_000_000;
const plain = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();

describe('renderVariants', () => {
  it('renders a 1×65000 strip, taller than WebP allows, scaled to fit instead of failing', async () => {
    const variants = await renderVariants(await plain(1, 65_000), { maxPixels: MAX_PIXELS });
    expect(variants.map((v) => v.width)).toEqual([400, 800, 1200]);
    for (const variant of variants) {
      const meta = await sharp(variant.data).metadata();
      expect(meta.format).toBe('webp');
      expect([meta.width, meta.height]).toEqual([variant.pixelWidth, variant.pixelHeight]);
      expect(meta.height).toBe(WEBP_MAX_DIMENSION);
      expect(meta.width).toBe(1);
    }
  });

  it('renders a 16000×1 strip at the variant widths', async () => {
    const variants = await renderVariants(await plain(16_000, 1), { maxPixels: MAX_PIXELS });
    expect(variants.map((v) => [v.pixelWidth, v.pixelHeight])).toEqual([
      [400, 1],
      [800, 1],
      [1200, 1],
    ]);
  });

  it('renders the variants of a real portrait HEIC (iPhone 13 Pro Max) upright', async () => {
    const variants = await renderVariants(realFile('exif-samples/heic_mobile_iphone_13_pro_max.HEIC').absolutePath, { maxPixels: MAX_PIXELS });
    expect(variants.map((v) => [v.pixelWidth, v.pixelHeight])).toEqual([
      [400, 533],
      [800, 1067],
      [1200, 1600],
    ]);
    expect(await sharp(variants[2]!.data).metadata()).toMatchObject({ format: 'webp', width: 1200, height: 1600 });
  });

  it('keeps an ordinary portrait photo at the variant widths and its proportions', async () => {
    const variants = await renderVariants(await plain(1200, 1600), { maxPixels: MAX_PIXELS });
    expect(variants.map((v) => [v.pixelWidth, v.pixelHeight])).toEqual([
      [400, 533],
      [800, 1067],
      [1200, 1600],
    ]);
  });
});
