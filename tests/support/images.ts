/**
 * Real image files for tests: concert photos rendered by the demo library's
 * stage scene (seeded, so a seed is always the same picture), with real EXIF,
 * their everyday copies, and the broken or hostile files a library may contain.
 */
import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Exif } from 'sharp';
import { encodeJpeg, type PhotoExif } from '../../scripts/demo-library/photo-exif.js';
import { burstFrame, randomStageScene, renderStageScene } from '../../scripts/demo-library/stage-scene.js';

export type { PhotoExif } from '../../scripts/demo-library/photo-exif.js';
export {
  croppedCopy,
  pngCopy,
  recompressedCopy,
  resizedCopy,
  thumbnailCopy,
  webpCopy,
} from '../../scripts/demo-library/photo-variants.js';
export { emptyFile, textFileNamedJpeg, truncatedCopy } from '../../scripts/demo-library/broken-files.js';

export interface StagePhotoOptions {
  /** Same seed, same picture. */
  seed: number;
  width?: number;
  height?: number;
  quality?: number;
  exif?: PhotoExif;
}

/** A JPEG concert photo. */
export async function makeStagePhoto(options: StagePhotoOptions): Promise<Buffer> {
  const { seed, width = 1600, height = 1200 } = options;
  const pixels = await renderStageScene(randomStageScene(seed), width, height);
  return encodeJpeg(pixels, { quality: options.quality ?? 90, ...(options.exif ? { exif: options.exif } : {}) });
}

/** Frames of one burst: the scene of `seed`, then the same scene with lights and people moved a little. */
export async function makeBurst(options: StagePhotoOptions & { frames: number; exifOfFrame?: (frame: number) => PhotoExif }): Promise<Buffer[]> {
  const { seed, width = 1600, height = 1200, frames } = options;
  const scene = randomStageScene(seed);
  return Promise.all(
    Array.from({ length: frames }, async (_, frame) => {
      const pixels = await renderStageScene(frame === 0 ? scene : burstFrame(scene, frame), width, height);
      const exif = options.exifOfFrame?.(frame);
      return encodeJpeg(pixels, { quality: options.quality ?? 90, ...(exif ? { exif } : {}) });
    }),
  );
}

/** An SVG drawing (which a photo product must never render). */
export function svgDrawing(): Buffer {
  return Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="480" fill="#203040"/><circle cx="320" cy="240" r="120" fill="#f0c040"/></svg>',
  );
}

/** A three-frame animated GIF. */
export async function animatedGif(): Promise<Buffer> {
  const frames = await Promise.all(
    ['#ff0000', '#00ff00', '#0000ff'].map((background) =>
      sharp({ create: { width: 48, height: 32, channels: 3, background } })
        .png()
        .toBuffer(),
    ),
  );
  return sharp(frames, { join: { animated: true } })
    .gif({ delay: [100, 100, 100], loop: 0 })
    .toBuffer();
}

/**
 * A decompression bomb: a valid PNG of width×height black pixels (1 bit each)
 * that compresses to about a thousandth of its decoded size: 30000×30000 is
 * about 110 kB on disk and 2.7 GB as RGB in memory.
 */
export function pngBomb(width = 30_000, height = 30_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  // Each row: a filter byte and width/8 bytes, all zero.
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * The start of an iPhone HEIC file (an `ftyp` box with the heic brand, then
 * garbage): what a HEIC looks like to a libvips that cannot decode HEVC.
 */
export function undecodableHeic(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'ascii');
  ftyp.writeUInt32BE(0, 12);
  ftyp.write('mif1heic', 16, 'ascii');
  return Buffer.concat([ftyp, Buffer.alloc(2048, 0x5a)]);
}

/** A small JPEG carrying exactly these EXIF tags (sharp's names, string values), for edge cases encodeJpeg would not write. */
export async function jpegWithExifTags(exif: Exif): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a1f3d' } })
    .jpeg()
    .withExif(exif)
    .toBuffer();
}

/**
 * The JPEG with an EXIF segment whose TIFF structure is garbage (an IFD pointing
 * past the end, a wrong byte order mark), as broken phone software writes. The
 * image data is untouched.
 */
export function withCorruptExif(jpeg: Buffer): Buffer {
  const payload = Buffer.concat([
    Buffer.from('Exif\0\0', 'binary'),
    Buffer.from([0x49, 0x49, 0x2a, 0x00, 0xf0, 0xff, 0xff, 0x7f, 0xff, 0xff, 0x13, 0x37]),
  ]);
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xffe1, 0);
  segment.writeUInt16BE(payload.length + 2, 2);
  // Right after the SOI marker, where cameras put EXIF.
  return Buffer.concat([jpeg.subarray(0, 2), segment, payload, jpeg.subarray(2)]);
}
