/**
 * Copies of a photo as people make them: shrunk for sharing, re-saved at a lower
 * quality, slightly cropped, converted. EXIF is kept, as most tools do, so a
 * copy still says when and where it was taken.
 */
import sharp from 'sharp';

export async function resizedCopy(jpeg: Buffer, scale = 0.5, quality = 85): Promise<Buffer> {
  const { width } = await sharp(jpeg).metadata();
  return sharp(jpeg)
    .resize({ width: Math.round(width * scale) })
    .keepExif()
    .jpeg({ quality })
    .toBuffer();
}

export async function recompressedCopy(jpeg: Buffer, quality = 60): Promise<Buffer> {
  return sharp(jpeg).keepExif().jpeg({ quality }).toBuffer();
}

/** Cuts `fraction` of the width and height away, half on each side. */
export async function croppedCopy(jpeg: Buffer, fraction = 0.03, quality = 88): Promise<Buffer> {
  const { width, height } = await sharp(jpeg).metadata();
  const cutX = Math.round((width * fraction) / 2);
  const cutY = Math.round((height * fraction) / 2);
  return sharp(jpeg)
    .extract({ left: cutX, top: cutY, width: width - 2 * cutX, height: height - 2 * cutY })
    .keepExif()
    .jpeg({ quality })
    .toBuffer();
}

export async function pngCopy(image: Buffer): Promise<Buffer> {
  return sharp(image).keepExif().png({ compressionLevel: 6 }).toBuffer();
}

export async function webpCopy(image: Buffer, quality = 80): Promise<Buffer> {
  return sharp(image).keepExif().webp({ quality }).toBuffer();
}

/** A small rendition such as Google Drive serves as a thumbnail: no EXIF, already upright. */
export async function thumbnailCopy(image: Buffer, width = 320): Promise<Buffer> {
  return sharp(image).rotate().resize({ width }).jpeg({ quality: 80 }).toBuffer();
}
