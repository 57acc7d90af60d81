/**
 * A small, bounds-checked reader of QuickTime / ISO base media files (MOV, MP4):
 * what a phone video says about itself, from its `moov` atom only.
 *
 * Videos can be gigabytes, so the file is never read whole: the top-level atoms'
 * headers are read one by one (16 bytes each) to find `moov` — at the start or at
 * the end, phones write both — and only `moov` (the index: a few kB to a few MB) is
 * read into memory, up to MAX_MOOV_BYTES. Every size and offset inside it is checked
 * against its parent before it is used, so a hostile file can make the reader refuse
 * it, never read outside the buffer or loop. Read:
 * - `mvhd`: creation time (seconds since 1904, UTC by the specification) and duration;
 * - each `trak`: its handler (`vide`), `tkhd` matrix (rotation), and the first visual
 *   sample entry of `stsd` (the coded width and height);
 * - `meta` with `keys`/`ilst` (Apple's mdta metadata: com.apple.quicktime.creationdate,
 *   .location.ISO6709, .make, .model, .content.identifier), at the movie level and in
 *   `udta`;
 * - `udta` atoms `©xyz` (ISO 6709 position, Android and older Apple), `©day`, `©mak`, `©mod`.
 */
import { open } from 'node:fs/promises';

/** A phone's moov is kilobytes to a few megabytes (an hour of 60 fps video: ~10 MB); larger is refused, never read. */
export const MAX_MOOV_BYTES = 64 * 1024 * 1024;
/** Nesting deeper than this is not a real file. */
const MAX_DEPTH = 12;
/** Top-level atoms walked before giving up: real files have a handful. */
const MAX_TOP_LEVEL_ATOMS = 10_000;
const SECONDS_1904_TO_1970 = 2_082_844_800;

/** A video whose structure cannot be read: refused with this reason (no retry). */
export class VideoStructureError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'VideoStructureError';
  }
}

/** Bytes at any offset of a file, without holding it: a path read by position, or bytes already in memory. */
export interface RandomAccess {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export async function randomAccess(input: Buffer | string): Promise<RandomAccess> {
  if (typeof input !== 'string') {
    return { size: input.length, read: async (offset, length) => input.subarray(offset, offset + length), close: async () => {} };
  }
  const handle = await open(input, 'r');
  try {
    const { size } = await handle.stat();
    return {
      size,
      async read(offset, length) {
        const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
        let filled = 0;
        while (filled < buffer.length) {
          const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, offset + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return buffer.subarray(0, filled);
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

export interface QuickTimeTrack {
  handler: string;
  /** Coded size, from the first sample description (before rotation). */
  width: number | null;
  height: number | null;
  /** Clockwise degrees the player turns the picture (the tkhd matrix): 0, 90, 180 or 270. */
  rotation: number;
  durationSeconds: number | null;
}

export interface QuickTimeMovie {
  /** mvhd creation time as written: seconds since 1904-01-01 (0 when unset). */
  creationTime1904: number;
  /** Seconds, from mvhd (null when its timescale is 0). */
  durationSeconds: number | null;
  tracks: QuickTimeTrack[];
  /** Apple mdta keys and their values (strings and numbers), e.g. "com.apple.quicktime.creationdate". */
  keys: Map<string, string | number>;
  /** udta/ilst text atoms by their four-character name, e.g. "©xyz", "©day". */
  userData: Map<string, string>;
}

/** Finds and parses the movie atom. Throws VideoStructureError when the file has none, or a broken one. */
export async function readQuickTimeMovie(file: RandomAccess): Promise<QuickTimeMovie> {
  const moov = await findMoov(file);
  return parseMoov(moov);
}

/** Walks the top-level atoms by their headers alone; reads only `moov`. */
async function findMoov(file: RandomAccess): Promise<Buffer> {
  let offset = 0;
  for (let count = 0; offset + 8 <= file.size && count < MAX_TOP_LEVEL_ATOMS; count += 1) {
    const header = await file.read(offset, 16);
    if (header.length < 8) break;
    let size = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    let headerSize = 8;
    if (size === 1) {
      if (header.length < 16) throw new VideoStructureError('The video is truncated or corrupt (a 64-bit atom size is cut off)');
      const large = header.readBigUInt64BE(8);
      if (large > BigInt(Number.MAX_SAFE_INTEGER)) throw new VideoStructureError('The video is truncated or corrupt (an atom is impossibly large)');
      size = Number(large);
      headerSize = 16;
    } else if (size === 0) {
      size = file.size - offset;
    }
    if (size < headerSize) throw new VideoStructureError(`The video is truncated or corrupt (atom "${printable(type)}" has size ${size})`);
    if (type === 'moov') {
      if (offset + size > file.size) throw new VideoStructureError('The video is truncated or corrupt (its index is cut off)');
      if (size > MAX_MOOV_BYTES) {
        throw new VideoStructureError(`The video's index is larger than ${MAX_MOOV_BYTES / 1024 / 1024} MB: not a phone or camera video`);
      }
      const body = await file.read(offset + headerSize, size - headerSize);
      if (body.length !== size - headerSize) throw new VideoStructureError('The video is truncated or corrupt (its index is cut off)');
      return body;
    }
    offset += size;
  }
  throw new VideoStructureError('The video has no index (moov atom): it is truncated, still being written, or not a video');
}

interface Atom {
  type: string;
  /** Start and end of the atom's body within the buffer. */
  start: number;
  end: number;
}

/** The child atoms of buffer[start, end): each checked to lie within it. A malformed child ends the walk there. */
function* children(buffer: Buffer, start: number, end: number): Generator<Atom> {
  let offset = start;
  while (offset + 8 <= end) {
    let size = buffer.readUInt32BE(offset);
    const type = buffer.toString('latin1', offset + 4, offset + 8);
    let headerSize = 8;
    if (size === 1) {
      if (offset + 16 > end) return;
      const large = buffer.readBigUInt64BE(offset + 8);
      if (large > BigInt(end - offset)) return;
      size = Number(large);
      headerSize = 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < headerSize || offset + size > end) return;
    yield { type, start: offset + headerSize, end: offset + size };
    offset += size;
  }
}

function child(buffer: Buffer, parent: Atom, type: string): Atom | undefined {
  for (const atom of children(buffer, parent.start, parent.end)) if (atom.type === type) return atom;
  return undefined;
}

function path(buffer: Buffer, parent: Atom, types: string[]): Atom | undefined {
  let atom: Atom | undefined = parent;
  for (const type of types) {
    if (!atom) return undefined;
    atom = child(buffer, atom, type);
  }
  return atom;
}

function parseMoov(moov: Buffer): QuickTimeMovie {
  const root: Atom = { type: 'moov', start: 0, end: moov.length };
  const movie: QuickTimeMovie = { creationTime1904: 0, durationSeconds: null, tracks: [], keys: new Map(), userData: new Map() };
  const mvhd = child(moov, root, 'mvhd');
  if (!mvhd) throw new VideoStructureError('The video is truncated or corrupt (no movie header)');
  Object.assign(movie, readMovieHeader(moov, mvhd));
  for (const atom of children(moov, root.start, root.end)) {
    if (atom.type === 'trak') {
      const track = readTrack(moov, atom);
      if (track) movie.tracks.push(track);
    } else if (atom.type === 'meta') {
      readMetadataKeys(moov, atom, movie.keys);
    } else if (atom.type === 'udta') {
      readUserData(moov, atom, movie, 0);
    }
  }
  return movie;
}

function readMovieHeader(buffer: Buffer, mvhd: Atom): Pick<QuickTimeMovie, 'creationTime1904' | 'durationSeconds'> {
  const version = byteAt(buffer, mvhd, 0);
  if (version === 1) {
    need(mvhd, 4 + 8 + 8 + 4 + 8);
    const creation = Number(buffer.readBigUInt64BE(mvhd.start + 4));
    const timescale = buffer.readUInt32BE(mvhd.start + 20);
    const duration = Number(buffer.readBigUInt64BE(mvhd.start + 24));
    return { creationTime1904: creation, durationSeconds: timescale ? duration / timescale : null };
  }
  need(mvhd, 4 + 4 + 4 + 4 + 4);
  const creation = buffer.readUInt32BE(mvhd.start + 4);
  const timescale = buffer.readUInt32BE(mvhd.start + 12);
  const duration = buffer.readUInt32BE(mvhd.start + 16);
  return { creationTime1904: creation, durationSeconds: timescale ? duration / timescale : null };
}

function readTrack(buffer: Buffer, trak: Atom): QuickTimeTrack | null {
  const hdlr = path(buffer, trak, ['mdia', 'hdlr']);
  if (!hdlr || hdlr.end - hdlr.start < 12) return null;
  const handler = buffer.toString('latin1', hdlr.start + 8, hdlr.start + 12);
  const tkhd = child(buffer, trak, 'tkhd');
  const rotation = tkhd ? rotationOf(buffer, tkhd) : 0;
  const mdhd = path(buffer, trak, ['mdia', 'mdhd']);
  let width: number | null = null;
  let height: number | null = null;
  const stsd = path(buffer, trak, ['mdia', 'minf', 'stbl', 'stsd']);
  if (stsd && handler === 'vide' && stsd.end - stsd.start >= 8) {
    // Full atom header, entry count, then sample entries; a visual entry's width and height are at 24 and 26 of its body.
    const [entry] = children(buffer, stsd.start + 8, stsd.end);
    if (entry && entry.end - entry.start >= 28) {
      width = buffer.readUInt16BE(entry.start + 24) || null;
      height = buffer.readUInt16BE(entry.start + 26) || null;
    }
  }
  return { handler, width, height, rotation, durationSeconds: mdhd ? mediaDuration(buffer, mdhd) : null };
}

function mediaDuration(buffer: Buffer, mdhd: Atom): number | null {
  const version = byteAt(buffer, mdhd, 0);
  if (version === 1) {
    if (mdhd.end - mdhd.start < 32) return null;
    const timescale = buffer.readUInt32BE(mdhd.start + 20);
    return timescale ? Number(buffer.readBigUInt64BE(mdhd.start + 24)) / timescale : null;
  }
  if (mdhd.end - mdhd.start < 20) return null;
  const timescale = buffer.readUInt32BE(mdhd.start + 12);
  return timescale ? buffer.readUInt32BE(mdhd.start + 16) / timescale : null;
}

/** The tkhd matrix's rotation, to the nearest quarter turn (what players apply): a=cos, b=sin in 16.16. */
function rotationOf(buffer: Buffer, tkhd: Atom): number {
  const version = byteAt(buffer, tkhd, 0);
  // version/flags 4, times and ids (20 or 32), reserved 8, layer/group/volume/reserved 8, then the matrix.
  const matrixAt = tkhd.start + 4 + (version === 1 ? 32 : 20) + 8 + 8;
  if (matrixAt + 36 > tkhd.end) return 0;
  const a = buffer.readInt32BE(matrixAt) / 65536;
  const b = buffer.readInt32BE(matrixAt + 4) / 65536;
  if (!Number.isFinite(a) || !Number.isFinite(b) || (a === 0 && b === 0)) return 0;
  const degrees = Math.round((Math.atan2(b, a) * 180) / Math.PI / 90) * 90;
  return ((degrees % 360) + 360) % 360;
}

/**
 * Apple's metadata: `meta` holds `hdlr` (mdta), `keys` (the names, 1-based) and `ilst`
 * (items whose type is the key's index, each with a `data` atom). In MOV files `meta`
 * is a plain atom; in MP4 files a full atom (4 bytes of version and flags first).
 */
function readMetadataKeys(buffer: Buffer, meta: Atom, into: Map<string, string | number>): void {
  const body = metaBody(buffer, meta);
  const keysAtom = child(buffer, body, 'keys');
  const ilst = child(buffer, body, 'ilst');
  if (!keysAtom || !ilst || keysAtom.end - keysAtom.start < 8) return;
  const names: string[] = [];
  let offset = keysAtom.start + 8;
  const count = buffer.readUInt32BE(keysAtom.start + 4);
  for (let i = 0; i < count && offset + 8 <= keysAtom.end; i += 1) {
    const size = buffer.readUInt32BE(offset);
    if (size < 8 || offset + size > keysAtom.end) break;
    names.push(buffer.toString('utf8', offset + 8, offset + size));
    offset += size;
  }
  for (const item of children(buffer, ilst.start, ilst.end)) {
    const index = Buffer.from(item.type, 'latin1').readUInt32BE(0);
    const name = names[index - 1];
    if (!name) continue;
    const value = dataValue(buffer, item);
    if (value !== null && !into.has(name)) into.set(name, value);
  }
}

function metaBody(buffer: Buffer, meta: Atom): Atom {
  const plain = meta.end - meta.start >= 8 && buffer.toString('latin1', meta.start + 4, meta.start + 8) === 'hdlr';
  return plain ? meta : { ...meta, start: Math.min(meta.start + 4, meta.end) };
}

/** An ilst item's first `data` atom: type indicator (1: UTF-8, 21/22: signed/unsigned integer, 23/24: float), locale, value. */
function dataValue(buffer: Buffer, item: Atom): string | number | null {
  const data = child(buffer, item, 'data');
  if (!data || data.end - data.start < 8) return null;
  const kind = buffer.readUInt32BE(data.start) & 0xffffff;
  const value = buffer.subarray(data.start + 8, data.end);
  if (kind === 1) return value.toString('utf8').replace(/\0+$/, '');
  if (kind === 23 && value.length === 4) return value.readFloatBE(0);
  if (kind === 24 && value.length === 8) return value.readDoubleBE(0);
  if ((kind === 21 || kind === 22) && value.length >= 1 && value.length <= 4)
    return kind === 21 ? value.readIntBE(0, value.length) : value.readUIntBE(0, value.length);
  return null;
}

/** udta: `©xyz`-style text atoms (16-bit length, 16-bit language, text), an iTunes-style `meta`/`ilst`, and Apple `meta` keys. */
function readUserData(buffer: Buffer, udta: Atom, movie: QuickTimeMovie, depth: number): void {
  if (depth > MAX_DEPTH) return;
  for (const atom of children(buffer, udta.start, udta.end)) {
    if (atom.type === 'meta') {
      readMetadataKeys(buffer, atom, movie.keys);
      const ilst = child(buffer, metaBody(buffer, atom), 'ilst');
      if (ilst) {
        for (const item of children(buffer, ilst.start, ilst.end)) {
          if (item.type.charCodeAt(0) !== 0xa9 || movie.userData.has(item.type)) continue;
          const value = dataValue(buffer, item);
          if (typeof value === 'string') movie.userData.set(item.type, value);
        }
      }
    } else if (atom.type.charCodeAt(0) === 0xa9 && atom.end - atom.start >= 4 && !movie.userData.has(atom.type)) {
      const length = buffer.readUInt16BE(atom.start);
      const textEnd = Math.min(atom.start + 4 + length, atom.end);
      movie.userData.set(atom.type, buffer.toString('utf8', atom.start + 4, textEnd).replace(/\0+$/, ''));
    }
  }
}

function byteAt(buffer: Buffer, atom: Atom, offset: number): number {
  need(atom, offset + 1);
  return buffer.readUInt8(atom.start + offset);
}

function need(atom: Atom, bytes: number): void {
  if (atom.end - atom.start < bytes) throw new VideoStructureError(`The video is truncated or corrupt (atom "${printable(atom.type)}" is too short)`);
}

function printable(type: string): string {
  return type.replace(/[^\x20-\x7e]/g, '?');
}

/** mvhd seconds since 1904 → a Date (null for 0, "not set"). */
export function dateFrom1904(seconds: number): Date | null {
  if (!seconds || !Number.isFinite(seconds)) return null;
  return new Date((seconds - SECONDS_1904_TO_1970) * 1000);
}
