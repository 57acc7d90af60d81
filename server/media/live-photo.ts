/**
 * A Live Photo is a HEIC (or JPEG) and a short MOV that share Apple's content
 * identifier: in the photo's Apple MakerNote (tag 0x0011, which ExifTool names MediaGroupUUID) and in
 * the video's QuickTime key `com.apple.quicktime.content.identifier` (video-metadata.ts).
 * The two become one item: the photo, with the clip as its motion.
 *
 * Apple's MakerNote: "Apple iOS\0", a 2-byte version, "MM", then a big-endian TIFF-style
 * directory whose value offsets count from the MakerNote's first byte. exifr hands it
 * over raw; this reads that one tag, with every offset checked.
 */
import exifr from 'exifr';

const APPLE_HEADER = 'Apple iOS\0';
const CONTENT_IDENTIFIER_TAG = 0x0011;
const ASCII = 2;
const MAX_ENTRIES = 512;

/** The MakerNote is found through the EXIF IFD; nothing else is read out. */
const MAKER_NOTE_ONLY = {
  makerNote: true,
  ifd0: false,
  ifd1: false,
  gps: false,
  interop: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  translateKeys: false,
  translateValues: false,
  reviveValues: false,
  mergeOutput: false,
  firstChunkSize: 1024 * 1024,
  chunkSize: 1024 * 1024,
} as object;

/** The photo's Live Photo identifier, or null (not an iPhone photo, not a Live Photo, or unreadable). */
export async function readContentIdentifier(input: Buffer | string): Promise<string | null> {
  try {
    const tags = (await exifr.parse(input, MAKER_NOTE_ONLY)) as { makerNote?: Uint8Array } | undefined;
    return tags?.makerNote ? appleContentIdentifier(Buffer.from(tags.makerNote)) : null;
  } catch {
    return null;
  }
}

export function appleContentIdentifier(note: Buffer): string | null {
  if (note.length < 16 || note.toString('latin1', 0, APPLE_HEADER.length) !== APPLE_HEADER || note.toString('latin1', 12, 14) !== 'MM') return null;
  const count = note.readUInt16BE(14);
  if (count > MAX_ENTRIES || 16 + count * 12 > note.length) return null;
  for (let i = 0; i < count; i += 1) {
    const entry = 16 + i * 12;
    if (note.readUInt16BE(entry) !== CONTENT_IDENTIFIER_TAG || note.readUInt16BE(entry + 2) !== ASCII) continue;
    const length = note.readUInt32BE(entry + 4);
    const start = length <= 4 ? entry + 8 : note.readUInt32BE(entry + 8);
    if (length === 0 || length > 256 || start + length > note.length) return null;
    const value = note
      .toString('latin1', start, start + length)
      .replace(/\0+$/, '')
      .trim();
    return /^[A-Za-z0-9._:-]{1,64}$/.test(value) ? value : null;
  }
  return null;
}
