import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { realFile } from '../../tests/fixtures/real-media/truth.js';
import { decodeHeic, HeicDecodeError } from './heic-decoder.js';

const bytesOf = (path: string) => readFile(realFile(path).absolutePath);

describe('decoding HEIC with libheif in WebAssembly', () => {
  it('decodes a real HEIF to RGBA pixels of its full size', async () => {
    const decoded = await decodeHeic(await bytesOf('exif-samples/heic_samplefilehub.heif'), { maxPixels: 1_000_000 });
    expect(decoded).toMatchObject({ width: 640, height: 426 });
    expect(decoded.data).toHaveLength(640 * 426 * 4);
    // A photo, not a blank frame: its pixels vary.
    const { channels } = await sharp(decoded.data, { raw: { width: 640, height: 426, channels: 4 } }).stats();
    expect(channels[0]!.stdev).toBeGreaterThan(10);
  });

  it('decodes the primary image of a file holding several', async () => {
    const decoded = await decodeHeic(await bytesOf('exifr/heic-collection.heic'), { maxPixels: 10_000_000 });
    expect(decoded).toMatchObject({ width: 1440, height: 960 });
  });

  it('refuses a picture larger than the limit without decoding it', async () => {
    const error = await decodeHeic(await bytesOf('exifr/heic-single.heic'), { maxPixels: 1_000_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HeicDecodeError);
    expect(error).toMatchObject({ kind: 'too-large', message: '1440x960' });
  });

  it('refuses a file with no coded picture, with libheif reason', async () => {
    const error = await decodeHeic(await bytesOf('exiftool/QuickTime.heic'), { maxPixels: 10_000_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'HeicDecodeError', kind: 'corrupt' });
  });

  it('stops a decode that runs past its time limit, and decodes the next file on a fresh thread', async () => {
    const slow = await decodeHeic(await bytesOf('exifr/heic-iphone.heic'), { maxPixels: 100_000_000, timeoutMs: 5 }).catch((e: unknown) => e);
    expect(slow).toMatchObject({ name: 'HeicDecodeError', kind: 'too-slow', message: 'decoding took longer than 5 ms' });
    const next = await decodeHeic(await bytesOf('exif-samples/heic_samplefilehub.heif'), { maxPixels: 1_000_000 });
    expect(next).toMatchObject({ width: 640, height: 426 });
  });

  it('gives each of several decodes asked at once its own picture', async () => {
    const [single, sample] = await Promise.all([bytesOf('exifr/heic-single.heic'), bytesOf('exif-samples/heic_samplefilehub.heif')]);
    const results = await Promise.all([single, sample, single].map((bytes) => decodeHeic(bytes, { maxPixels: 10_000_000 })));
    expect(results.map((r) => `${r.width}x${r.height}`)).toEqual(['1440x960', '640x426', '1440x960']);
  });
});
