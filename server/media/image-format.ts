/**
 * Recognises a file's format from its first bytes, before any decoder sees it.
 * The file name and the source's MIME type are not trusted: a text file named
 * .jpg is still text, and an SVG (a script-capable XML document) never reaches
 * the SVG renderer.
 */

/** Formats accepted as photos. HEIC only when the installed libvips can decode HEVC. */
import { ascii, readUint32 } from './header-bytes.js';
export const PHOTO_FORMATS = ['jpeg', 'png', 'webp', 'tiff', 'avif', 'heic'] as const;
export type PhotoFormat = (typeof PHOTO_FORMATS)[number];

/** Recognised but refused. */
export type RefusedFormat = 'gif' | 'svg';

export type SniffedFormat = PhotoFormat | RefusedFormat | 'unknown';

export function sniffImageFormat(bytes: Uint8Array): SniffedFormat {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (ascii(bytes, 4, 4) === 'ftyp') return isoMediaFormat(bytes);
  if (looksLikeSvg(bytes)) return 'svg';
  return 'unknown';
}

/** HEIF-family files (ISO base media): the major and compatible brands in the `ftyp` box tell AVIF from HEIC. */
function isoMediaFormat(bytes: Uint8Array): SniffedFormat {
  const boxSize = readUint32(bytes, 0);
  const end = Math.min(bytes.length, Math.max(boxSize, 16), 256);
  const brands = [ascii(bytes, 8, 4)];
  for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(ascii(bytes, offset, 4));
  if (brands.some((brand) => brand === 'avif' || brand === 'avis')) return 'avif';
  if (brands.some((brand) => ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand))) return 'heic';
  return 'unknown';
}

function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 1024))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return head.startsWith('<svg') || ((head.startsWith('<?xml') || head.startsWith('<!doctype svg')) && head.includes('<svg'));
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}
