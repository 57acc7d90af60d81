import sharp from 'sharp';
import type { ObjectStorage } from '../storage/storage.js';

export interface BookPhotoSource {
  variantsKey: string | null;
  thumbnailKey: string | null;
}

/** A third of an A4 page's text width is about 2.3 inches: 600 px prints sharp, and keeps the book small. */
const MAX_SIDE = 600;
/** Our own renditions are at most 1200 px wide; anything far larger is not one of them. */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * A starred photo as the PDF can embed it (pdfkit reads JPEG and PNG, our
 * renditions are WebP): the 400 px variant, else the thumbnail, re-encoded as a
 * JPEG. Null when neither exists or decodes; the page goes on without it.
 */
export async function bookPhoto(storage: ObjectStorage, photo: BookPhotoSource): Promise<Buffer | null> {
  const keys = [photo.variantsKey && `${photo.variantsKey}400.webp`, photo.thumbnailKey].filter((key): key is string => !!key);
  for (const key of keys) {
    const bytes = await storage.read(key);
    if (!bytes) continue;
    try {
      return await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
        .rotate()
        .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 80 })
        .toBuffer();
    } catch {}
  }
  return null;
}
