import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEDUP_THRESHOLDS } from '../../shared/dedup.js';
import { hammingDistance } from '../../shared/hamming.js';
import { realFile, uprightSize } from '../../tests/fixtures/real-media/truth.js';
import { makeStagePhoto, thumbnailCopy, undecodableHeic } from '../../tests/support/images.js';
import { decodeHeic } from './heic-decoder.js';
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

  it('refuses a file that only starts like a HEIC with a clear reason', async () => {
    await expect(analyzeImage(undecodableHeic())).rejects.toMatchObject({
      name: 'InvalidPhotoError',
      reason: 'The HEIC file is truncated or corrupt',
    });
  });
});

describe('analyzeImage on real HEIC files', () => {
  it('decodes an iPhone 15 Pro HEIC into an upright thumbnail, its size and hash like the same picture as a JPEG', async () => {
    const file = realFile('photoprism/ex__iphone_15_pro.heic');
    const analysis = await analyzeImage(file.absolutePath);
    expect(analysis).toMatchObject({ format: 'heic', ...uprightSize(file), thumbnail: { width: 400, height: 533 } });
    expect(await sharp(analysis.thumbnail.data).metadata()).toMatchObject({ format: 'webp', width: 400, height: 533 });
    // The same pixels through sharp's own JPEG path hash the same.
    const decoded = await decodeHeic(await readFile(file.absolutePath), { maxPixels: 100_000_000 });
    const asJpeg = await sharp(decoded.data, { raw: { width: decoded.width, height: decoded.height, channels: 4 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    expect(hammingDistance((await analyzeImage(asJpeg)).perceptualHash, analysis.perceptualHash)).toBeLessThanOrEqual(
      DEFAULT_DEDUP_THRESHOLDS.nearThreshold,
    );
  });

  it("turns by the EXIF orientation when it disagrees with the file's irot (Nokia 8.3), or when there is no irot (iPhone 7)", async () => {
    for (const path of ['exif-samples/heic_mobile_HMD_Nokia_8.3_5G.heif', 'photoprism/ex__iphone_7.heic']) {
      const file = realFile(path);
      const analysis = await analyzeImage(file.absolutePath);
      expect({ width: analysis.width, height: analysis.height }, path).toEqual(uprightSize(file));
      const { width, height } = uprightSize(file);
      expect(analysis.thumbnail, path).toMatchObject({ width: 400, height: Math.round((400 * height) / width) });
    }
  });

  it('refuses a HEIC larger than the pixel limit before decoding it', async () => {
    const error = await analyzeImage(realFile('exifr/heic-iphone.heic').absolutePath, { maxPixels: 10_000_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InvalidPhotoError', reason: 'The image is too large: 4032×3024 pixels is over the limit of 10 megapixels' });
  });

  it('refuses a HEIC without a coded picture, with a reason', async () => {
    await expect(analyzeImage(realFile('exiftool/QuickTime.heic').absolutePath)).rejects.toMatchObject({
      name: 'InvalidPhotoError',
      reason: 'The HEIC file is truncated or corrupt (the HEVC data could not be decoded)',
    });
  });
});

describe('analyzeThumbnail', () => {
  it("turns a rendition that still shows the stored picture by the photo's rotation, and leaves an upright one alone", async () => {
    const landscape = await makeStagePhoto({ seed: 31, width: 640, height: 480 });
    const stored = await thumbnailCopy(landscape, 320);
    const upright = await sharp(stored).rotate(90).jpeg().toBuffer();
    // A portrait photo stored landscape, turned a quarter clockwise by its EXIF orientation.
    const portrait = { width: 480, height: 640, quarterTurns: 1 };
    const fromStored = await analyzeThumbnail(stored, { upright: portrait });
    const fromUpright = await analyzeThumbnail(upright, { upright: portrait });
    expect(fromStored.thumbnail).toMatchObject({ width: 240, height: 320 });
    expect(fromUpright.thumbnail).toMatchObject({ width: 240, height: 320 });
    expect(hammingDistance(fromStored.perceptualHash, fromUpright.perceptualHash)).toBeLessThanOrEqual(2);
    expect((await analyzeThumbnail(stored)).thumbnail).toMatchObject({ width: 320, height: 240 });
  });

  it('hashes a 320 px thumbnail like the 12-megapixel file it was made from', async () => {
    const full = await makeStagePhoto({ seed: 23, width: 4000, height: 3000 });
    const thumbnail = await thumbnailCopy(full, 320);
    const [fromFull, fromThumbnail] = await Promise.all([analyzeImage(full), analyzeThumbnail(thumbnail)]);
    expect(fromFull).toMatchObject({ width: 4000, height: 3000 });
    expect(fromThumbnail.thumbnail).toMatchObject({ width: 320, height: 240 });
    expect(hammingDistance(fromFull.perceptualHash, fromThumbnail.perceptualHash)).toBeLessThanOrEqual(2);
  });
});
