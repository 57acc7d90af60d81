/** Small, real, pixel-distinct JPEGs for fakes: each seed gives its own blocky picture (so perceptual hashes differ too). */
import sharp from 'sharp';

export interface ImageSize {
  width: number;
  height: number;
}

/** A deterministic pseudo-random sequence (mulberry32): the same seed always draws the same picture and metadata. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GRID = { width: 8, height: 6 };

export async function makeJpeg(seed: number, size: ImageSize): Promise<Buffer> {
  const random = seededRandom(seed);
  const cells = Buffer.alloc(GRID.width * GRID.height * 3);
  for (let i = 0; i < cells.length; i++) cells[i] = Math.floor(random() * 256);
  return sharp(cells, { raw: { ...GRID, channels: 3 } })
    .resize(size.width, size.height, { kernel: 'nearest' })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** A smaller rendition, never enlarged, as an image CDN serves for `=s<size>`. */
export function resizeJpeg(jpeg: Buffer, longSide: number): Promise<Buffer> {
  return sharp(jpeg).resize(longSide, longSide, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer();
}
