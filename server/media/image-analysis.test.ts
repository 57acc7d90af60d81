import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEDUP_THRESHOLDS } from '../../shared/dedup.js';
import { hammingDistance } from '../../shared/hamming.js';
import { makeStagePhoto, thumbnailCopy, undecodableHeic } from '../../tests/support/images.js';
import { analyzeImage, analyzeThumbnail } from './image-analysis.js';
import { InvalidPhotoError } from './photo-errors.js';

const PARADISO_EXIF = { localTime: '2019-07-05T21:34:56', latitude: 52.3622, longitude: 4.884, make: 'Canon', model: 'Canon EOS R6' };

describe('analyzeImage', () => {
  let photo: Buffer;
  beforeAll(async () => {
    photo = await makeStagePhoto({ seed: 11, width: 1600, height: 1200, exif: PARADISO_EXIF });
  });

  it('reports the format and size of the original and makes a 400 px wide WebP thumbnail', async () => {
    const analysis = await analyzeImage(photo);
    expect(analysis).toMatchObject({ format: 'jpeg', width: 1600, height: 1200, thumbnail: { width: 400, height: 300 } });
    const thumbnail = await sharp(analysis.thumbnail.data).metadata();
    expect(thumbnail).toMatchObject({ format: 'webp', width: 400, height: 300 });
    expect(typeof analysis.perceptualHash).toBe('bigint');
    expect(analysis.perceptualHash).toBeGreaterThanOrEqual(0n);
    expect(analysis.perceptualHash < 1n << 64n).toBe(true);
  });

  it('reads a file from its path exactly as from its bytes, and judges an empty or disguised file by its content', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ch-analysis-'));
    try {
      await writeFile(join(folder, 'photo.jpg'), photo);
      await writeFile(join(folder, 'empty.jpg'), Buffer.alloc(0));
      await writeFile(join(folder, 'notes.jpg'), 'not a photo at all');
      const fromPath = await analyzeImage(join(folder, 'photo.jpg'));
      const fromBytes = await analyzeImage(photo);
      expect(fromPath.perceptualHash).toBe(fromBytes.perceptualHash);
      expect({ ...fromPath, thumbnail: fromPath.thumbnail.data }).toEqual({ ...fromBytes, thumbnail: fromBytes.thumbnail.data });
      await expect(analyzeImage(join(folder, 'empty.jpg'))).rejects.toThrow('The file is empty');
      await expect(analyzeImage(join(folder, 'notes.jpg'))).rejects.toThrow(/not an image/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('strips every metadata from the thumbnail, GPS included', async () => {
    const { thumbnail } = await analyzeImage(photo);
    const metadata = await sharp(thumbnail.data).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(await exifr.gps(thumbnail.data).catch(() => undefined)).toBeUndefined();
  });

  it('applies the EXIF orientation to the size and the thumbnail', async () => {
    const sideways = await makeStagePhoto({ seed: 11, width: 1600, height: 1200, exif: { ...PARADISO_EXIF, orientation: 6 } });
    const analysis = await analyzeImage(sideways);
    expect(analysis).toMatchObject({ width: 1200, height: 1600, thumbnail: { width: 400, height: 533 } });
  });

  it('follows the requested thumbnail width and never enlarges a small image', async () => {
    expect((await analyzeImage(photo, { thumbnailWidth: 200 })).thumbnail).toMatchObject({ width: 200, height: 150 });
    const small = await sharp(photo).resize(240).jpeg().toBuffer();
    expect((await analyzeImage(small)).thumbnail).toMatchObject({ width: 240, height: 180 });
  });

  it('gives the same picture in any accepted format nearly the same hash', async () => {
    const { perceptualHash } = await analyzeImage(photo);
    const copies = {
      png: await sharp(photo).png().toBuffer(),
      webp: await sharp(photo).webp({ quality: 80 }).toBuffer(),
      tiff: await sharp(photo).tiff().toBuffer(),
      avif: await sharp(photo).resize(800).avif({ effort: 0 }).toBuffer(),
      'jpeg (greyscale)': await sharp(photo).greyscale().toColourspace('b-w').jpeg().toBuffer(),
      'png (16 bits, with alpha)': await sharp(photo).ensureAlpha().png().toColourspace('rgb16').toBuffer(),
    };
    for (const [name, copy] of Object.entries(copies)) {
      const analysis = await analyzeImage(copy);
      expect(analysis.width, name).toBe(name === 'avif' ? 800 : 1600);
      expect(hammingDistance(analysis.perceptualHash, perceptualHash), name).toBeLessThanOrEqual(DEFAULT_DEDUP_THRESHOLDS.nearThreshold);
    }
  });

  it('refuses an image with more pixels than allowed, before decoding it', async () => {
    const error = await analyzeImage(photo, { maxPixels: 1_000_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPhotoError);
    expect((error as InvalidPhotoError).reason).toBe('The image is too large: 1600×1200 pixels is over the limit of 1 megapixels');
  });

  it('refuses a HEIC file this libvips cannot decode with a clear reason', async () => {
    await expect(analyzeImage(undecodableHeic())).rejects.toMatchObject({ name: 'InvalidPhotoError', reason: 'HEIC could not be decoded' });
  });
});

describe('analyzeThumbnail', () => {
  it('hashes a 320 px thumbnail like the 12-megapixel file it was made from', async () => {
    const full = await makeStagePhoto({ seed: 23, width: 4000, height: 3000 });
    const thumbnail = await thumbnailCopy(full, 320);
    const [fromFull, fromThumbnail] = await Promise.all([analyzeImage(full), analyzeThumbnail(thumbnail)]);
    expect(fromFull).toMatchObject({ width: 4000, height: 3000 });
    expect(fromThumbnail.thumbnail).toMatchObject({ width: 320, height: 240 });
    expect(hammingDistance(fromFull.perceptualHash, fromThumbnail.perceptualHash)).toBeLessThanOrEqual(2);
  });
});
