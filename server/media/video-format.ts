/**
 * Recognises a phone or camera video (QuickTime MOV, MP4, M4V, 3GP) from its first
 * bytes, as image-format.ts does for photos: the name and the MIME type the source
 * claims are not trusted. An ISO base media file says what it is in its `ftyp` box
 * (major and compatible brands); HEIF and AVIF, which have one too, are photos.
 * QuickTime files from before `ftyp` existed start straight with a top-level atom.
 */
import { ascii, readUint32 } from './header-bytes.js';
import { sniffImageFormat } from './image-format.js';

export const VIDEO_FORMATS = ['mov', 'mp4'] as const;
export type VideoFormat = (typeof VIDEO_FORMATS)[number];

/** Brands of video files (ISO/IEC 14496-12 and -14, Apple, 3GPP, Sony, Microsoft). */
const MP4_BRANDS = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'iso8',
  'iso9',
  'mp41',
  'mp42',
  'mp71',
  'avc1',
  'hvc1',
  'M4V ',
  'M4VH',
  'M4VP',
  'dash',
  '3gp4',
  '3gp5',
  '3gp6',
  '3gp7',
  '3g2a',
  '3g2b',
  'MSNV',
  'XAVC',
  'f4v ',
  'mp4v',
  'CAEP',
  'niko',
]);
/** QuickTime files written before `ftyp` start with one of these atoms. */
const LEGACY_QUICKTIME_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/** The video's container by content, or null when the bytes are not a video this product reads. */
export function sniffVideoFormat(bytes: Uint8Array): VideoFormat | null {
  if (bytes.length < 12) return null;
  const type = ascii(bytes, 4, 4);
  if (type === 'ftyp') {
    // A HEIC or an AVIF is a photo, whatever else its brands say.
    if (sniffImageFormat(bytes) !== 'unknown') return null;
    const size = readUint32(bytes, 0);
    const end = Math.min(bytes.length, Math.max(size, 16), 256);
    const major = ascii(bytes, 8, 4);
    if (major === 'qt  ') return 'mov';
    const brands = [major];
    for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(ascii(bytes, offset, 4));
    if (brands.includes('qt  ')) return 'mov';
    return brands.some((brand) => MP4_BRANDS.has(brand)) ? 'mp4' : null;
  }
  const size = readUint32(bytes, 0);
  // size 0 (to the end of the file) or 1 (a 64-bit size follows) are valid for a top-level atom, as is any size ≥ 8.
  if (LEGACY_QUICKTIME_ATOMS.has(type) && (size === 0 || size === 1 || size >= 8)) return 'mov';
  return null;
}

export const VIDEO_MIME_TYPES: Record<VideoFormat, string> = { mov: 'video/quicktime', mp4: 'video/mp4' };
