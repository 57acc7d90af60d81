/**
 * Reads the boxes of a HEIF file (ISO/IEC 23008-12: HEIC, HEIF) that tell what
 * its primary image is before any pixel is decoded: its size (`ispe`), so that a
 * decompression bomb is refused without decoding it, and the transforms the file
 * asks for (`irot` rotation, `imir` mirror), which libheif applies while decoding
 * and which image-orientation.ts reconciles with the EXIF orientation.
 *
 * Only what sits in the `meta` box is read: `pitm` (the primary item), `ipco`
 * (the item properties) and `ipma` (which properties belong to which item).
 */
import { type Orientation, IDENTITY, compose, mirrorHorizontally, mirrorVertically, rotateClockwise } from './image-orientation.js';

export interface HeifPrimaryImage {
  /** The coded size (`ispe`), before the file's transforms. */
  width: number;
  height: number;
  /** The file's `irot`/`imir` transforms in the order the file lists them, as one orientation. */
  transform: Orientation;
  /** True when the file names any `irot` or `imir` for the primary image. */
  hasTransform: boolean;
}

export class HeifContainerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeifContainerError';
  }
}

interface Box {
  type: string;
  /** Offset of the payload (after the header) and of the box's end, in the buffer. */
  start: number;
  end: number;
}

/** The boxes directly inside [from, to), in order. Stops at a box that runs past the end rather than reading garbage. */
function* boxesIn(bytes: Buffer, from: number, to: number): Generator<Box> {
  let offset = from;
  while (offset + 8 <= to) {
    let size = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > to) return;
      const large = bytes.readBigUInt64BE(offset + 8);
      if (large > BigInt(to - offset)) throw new HeifContainerError(`the ${type} box runs past the end of the file`);
      size = Number(large);
      header = 16;
    } else if (size === 0) {
      size = to - offset;
    }
    if (size < header || offset + size > to) throw new HeifContainerError(`the ${type} box runs past the end of the file`);
    yield { type, start: offset + header, end: offset + size };
    offset += size;
  }
}

function child(bytes: Buffer, parent: Box, type: string): Box | null {
  for (const box of boxesIn(bytes, parent.start, parent.end)) if (box.type === type) return box;
  return null;
}

/** Throws HeifContainerError when the file has no readable `meta` box with a primary image and its size. */
export function readHeifPrimaryImage(bytes: Buffer): HeifPrimaryImage {
  let meta: Box | null = null;
  for (const box of boxesIn(bytes, 0, bytes.length)) {
    if (box.type === 'meta') {
      meta = box;
      break;
    }
  }
  if (!meta) throw new HeifContainerError('no meta box');
  // `meta` is a full box: 4 bytes of version and flags before its children.
  const metaChildren: Box = { type: 'meta', start: meta.start + 4, end: meta.end };
  const primaryId = readPrimaryItemId(bytes, child(bytes, metaChildren, 'pitm'));
  const iprp = child(bytes, metaChildren, 'iprp');
  const ipco = iprp && child(bytes, iprp, 'ipco');
  if (!iprp || !ipco) throw new HeifContainerError('no item properties');
  const properties = [...boxesIn(bytes, ipco.start, ipco.end)];
  const indexes: number[] = [];
  for (const box of boxesIn(bytes, iprp.start, iprp.end)) {
    if (box.type === 'ipma') indexes.push(...associationsOf(bytes, box, primaryId));
  }

  let size: { width: number; height: number } | null = null;
  let transform = IDENTITY;
  let hasTransform = false;
  for (const index of indexes) {
    const property = properties[index - 1];
    if (!property) throw new HeifContainerError(`the primary image names property ${index}, which does not exist`);
    if (property.type === 'ispe' && property.end - property.start >= 12) {
      size = { width: bytes.readUInt32BE(property.start + 4), height: bytes.readUInt32BE(property.start + 8) };
    } else if (property.type === 'irot' && property.end > property.start) {
      // Anticlockwise quarter turns.
      const quarters = bytes[property.start]! & 0b11;
      transform = compose(transform, rotateClockwise((4 - quarters) % 4));
      hasTransform = true;
    } else if (property.type === 'imir' && property.end > property.start) {
      // Axis 0: the vertical axis (left and right swap); 1: the horizontal axis (top and bottom swap).
      transform = compose(transform, (bytes[property.start]! & 1) === 0 ? mirrorHorizontally : mirrorVertically);
      hasTransform = true;
    }
  }
  if (!size) throw new HeifContainerError('the primary image has no size (ispe)');
  return { ...size, transform, hasTransform };
}

function readPrimaryItemId(bytes: Buffer, pitm: Box | null): number {
  if (!pitm || pitm.end - pitm.start < 6) throw new HeifContainerError('no primary item (pitm)');
  const version = bytes[pitm.start]!;
  if (version === 0) return bytes.readUInt16BE(pitm.start + 4);
  if (pitm.end - pitm.start < 8) throw new HeifContainerError('a truncated pitm box');
  return bytes.readUInt32BE(pitm.start + 4);
}

/** The 1-based `ipco` indexes associated with `itemId`, in the order listed. */
function associationsOf(bytes: Buffer, ipma: Box, itemId: number): number[] {
  const version = bytes[ipma.start]!;
  const wideIndexes = (bytes.readUInt32BE(ipma.start) & 1) === 1;
  let offset = ipma.start + 4;
  const need = (n: number) => {
    if (offset + n > ipma.end) throw new HeifContainerError('a truncated ipma box');
  };
  need(4);
  const entries = bytes.readUInt32BE(offset);
  offset += 4;
  for (let entry = 0; entry < entries; entry++) {
    need(version < 1 ? 3 : 5);
    const id = version < 1 ? bytes.readUInt16BE(offset) : bytes.readUInt32BE(offset);
    offset += version < 1 ? 2 : 4;
    const count = bytes[offset]!;
    offset += 1;
    const indexes: number[] = [];
    for (let i = 0; i < count; i++) {
      need(wideIndexes ? 2 : 1);
      // The top bit marks an essential property; the rest is the index (0: none).
      const index = wideIndexes ? bytes.readUInt16BE(offset) & 0x7fff : bytes[offset]! & 0x7f;
      offset += wideIndexes ? 2 : 1;
      if (index > 0) indexes.push(index);
    }
    if (id === itemId) return indexes;
  }
  return [];
}
