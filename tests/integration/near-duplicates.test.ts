/**
 * Duplicate detection on real JPEGs: rendered concert photos with EXIF, copied
 * the ways people copy photos, run through the same EXIF reader, image analysis
 * and pair classification as ingest and dedup.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyPhotos, DEFAULT_DEDUP_THRESHOLDS } from '../../shared/dedup.js';
import { candidateChunkQueries, hammingDistance, hashChunks } from '../../shared/hamming.js';
import { readPhotoMetadata } from '../../server/media/exif.js';
import { analyzeImage } from '../../server/media/image-analysis.js';
import { InvalidPhotoError } from '../../server/media/photo-errors.js';
import {
  animatedGif,
  croppedCopy,
  emptyFile,
  makeBurst,
  makeStagePhoto,
  pngBomb,
  pngCopy,
  recompressedCopy,
  resizedCopy,
  svgDrawing,
  textFileNamedJpeg,
  truncatedCopy,
  webpCopy,
  type PhotoExif,
} from '../support/images.js';

const THRESHOLD = DEFAULT_DEDUP_THRESHOLDS.nearThreshold;
const VEGA = { latitude: 55.6677, longitude: 12.5412 };

interface IngestedPhoto {
  name: string;
  contentHash: string;
  perceptualHash: bigint;
  takenAt: Date | null;
}

/** What ingest stores about a file, for dedup. */
async function ingest(name: string, file: Buffer): Promise<IngestedPhoto> {
  const [metadata, analysis] = await Promise.all([readPhotoMetadata(file), analyzeImage(file)]);
  return { name, contentHash: createHash('sha256').update(file).digest('hex'), perceptualHash: analysis.perceptualHash, takenAt: metadata.takenAt };
}

const exifAt = (localTime: string, subSeconds?: string): PhotoExif => ({
  localTime,
  ...(subSeconds ? { subSeconds } : {}),
  offset: '+02:00',
  ...VEGA,
  make: 'SONY',
  model: 'ILCE-7M3',
});

describe('near duplicates on real images', () => {
  let original: IngestedPhoto;
  let copies: IngestedPhoto[];
  let otherScenes: IngestedPhoto[];
  let burst: IngestedPhoto[];
  let byteCopy: IngestedPhoto;

  beforeAll(async () => {
    const originalFile = await makeStagePhoto({ seed: 2024, exif: exifAt('2023-08-19T22:14:05', '310') });
    original = await ingest('original', originalFile);
    copies = await Promise.all([
      ingest('resized to 50 %', await resizedCopy(originalFile, 0.5)),
      ingest('re-encoded at quality 60', await recompressedCopy(originalFile, 60)),
      ingest('cropped by 3 %', await croppedCopy(originalFile, 0.03)),
      ingest('converted to PNG', await pngCopy(originalFile)),
    ]);
    byteCopy = await ingest('byte copy', Buffer.from(originalFile));
    otherScenes = await Promise.all(
      [7, 99, 1234, 31337, 4242].map(async (seed, i) =>
        ingest(`scene ${seed}`, await makeStagePhoto({ seed, exif: exifAt(`2023-08-19T22:${20 + i}:00`) })),
      ),
    );
    const frames = await makeBurst({ seed: 77, frames: 4, exifOfFrame: (frame) => exifAt(`2023-08-19T22:30:0${frame}`, '500') });
    burst = await Promise.all(frames.map((file, frame) => ingest(`burst frame ${frame}`, file)));
  });

  it('keeps the capture time through every copy', () => {
    expect(original.takenAt).toEqual(new Date('2023-08-19T20:14:05.310Z'));
    for (const copy of copies) expect(copy.takenAt, copy.name).toEqual(original.takenAt);
  });

  it('finds resized, re-encoded, cropped and converted copies within the near threshold of the original', () => {
    for (const copy of copies) {
      expect(hammingDistance(original.perceptualHash, copy.perceptualHash), copy.name).toBeLessThanOrEqual(THRESHOLD);
      expect(classifyPhotos(original, copy), copy.name).toBe('near');
    }
  });

  it('does not pair different scenes, with each other or with the original', () => {
    const photos = [original, ...otherScenes];
    for (const [i, a] of photos.entries()) {
      for (const b of photos.slice(i + 1)) {
        expect(hammingDistance(a.perceptualHash, b.perceptualHash), `${a.name} / ${b.name}`).toBeGreaterThan(THRESHOLD);
        expect(classifyPhotos(a, b), `${a.name} / ${b.name}`).toBeNull();
      }
    }
  });

  it('classifies frames of one burst, a second apart, as a burst rather than near duplicates', () => {
    for (const [i, a] of burst.entries()) {
      for (const b of burst.slice(i + 1)) {
        expect(hammingDistance(a.perceptualHash, b.perceptualHash), `${a.name} / ${b.name}`).toBeLessThanOrEqual(THRESHOLD);
        expect(classifyPhotos(a, b), `${a.name} / ${b.name}`).toBe('burst');
      }
    }
  });

  it('classifies a byte-for-byte copy as an exact duplicate', () => {
    expect(byteCopy.contentHash).toBe(original.contentHash);
    expect(classifyPhotos(original, byteCopy)).toBe('exact');
  });

  it('finds every copy through the chunk index without comparing all pairs', () => {
    const library = [...copies, ...otherScenes, ...burst, byteCopy];
    const index = [0, 1, 2, 3].map(() => new Map<number, IngestedPhoto[]>());
    for (const photo of library) {
      hashChunks(photo.perceptualHash).forEach((chunk, i) => {
        const bucket = index[i]?.get(chunk) ?? [];
        bucket.push(photo);
        index[i]?.set(chunk, bucket);
      });
    }
    const candidates = new Set<IngestedPhoto>();
    candidateChunkQueries(original.perceptualHash, THRESHOLD).forEach((values, i) => {
      for (const value of values) for (const photo of index[i]?.get(value) ?? []) candidates.add(photo);
    });
    const found = [...candidates].filter((photo) => hammingDistance(photo.perceptualHash, original.perceptualHash) <= THRESHOLD);
    expect(found.map((photo) => photo.name).sort()).toEqual([...copies, byteCopy].map((photo) => photo.name).sort());
  });
});

describe('files that are not usable photos', () => {
  async function reasonFor(file: Buffer): Promise<string> {
    const error = await analyzeImage(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPhotoError);
    return (error as InvalidPhotoError).reason;
  }

  it('refuses an empty file', async () => {
    expect(await reasonFor(emptyFile())).toBe('The file is empty');
  });

  it('refuses a JPEG cut in half instead of padding it with grey', async () => {
    const photo = await makeStagePhoto({ seed: 5, width: 800, height: 600 });
    expect(await reasonFor(truncatedCopy(photo, 0.5))).toBe('The JPEG file is truncated or corrupt');
  });

  it('refuses a text file named .jpg', async () => {
    expect(await reasonFor(textFileNamedJpeg())).toBe('The file is not an image (supported: JPEG, PNG, WebP, TIFF, AVIF, HEIC)');
  });

  it('refuses an SVG drawing without rendering it', async () => {
    expect(await reasonFor(svgDrawing())).toBe('SVG drawings are not supported, only photos (JPEG, PNG, WebP, TIFF, AVIF, HEIC)');
  });

  it('refuses an animated GIF', async () => {
    expect(await reasonFor(await animatedGif())).toBe('Animated GIFs are not supported, only photos');
  });

  it('refuses a 30000×30000 PNG decompression bomb from its header', async () => {
    const bomb = pngBomb(30_000, 30_000);
    expect(bomb.length).toBeLessThan(1_000_000);
    expect(await reasonFor(bomb)).toBe('The image is too large: 30000×30000 pixels is over the limit of 100 megapixels');
  });

  it('analyzes PNG and WebP photos like JPEGs', async () => {
    const photo = await makeStagePhoto({ seed: 8, width: 800, height: 600 });
    for (const copy of [await pngCopy(photo), await webpCopy(photo)]) {
      await expect(analyzeImage(copy)).resolves.toMatchObject({ width: 800, height: 600, thumbnail: { width: 400, height: 300 } });
    }
  });
});
