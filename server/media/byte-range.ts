/**
 * The Range header of a media request (RFC 9110 §14), for streaming videos: one
 * range of bytes only. What the server does with it:
 * - no header, another unit, or a header that does not parse: the whole object (200);
 * - one satisfiable range: that range (206), clamped to the object's end;
 * - one unsatisfiable range (starts past the end, an empty suffix), or more than one
 *   range (a player never asks for several; many small ranges are a way to make a
 *   server work hard for little): 416, with `Content-Range: bytes * / size`.
 */
import type { ByteRange } from '../storage/storage.js';

export type RangeRequest = { kind: 'whole' } | { kind: 'range'; range: ByteRange } | { kind: 'unsatisfiable' };

const WHOLE: RangeRequest = { kind: 'whole' };
/** Longer headers are not a player's: parsed as absent. */
const MAX_HEADER_LENGTH = 200;

export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (!header || header.length > MAX_HEADER_LENGTH) return WHOLE;
  const match = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!match) return WHOLE;
  const specs = match[1]!.split(',').map((spec) => spec.trim());
  if (specs.some((spec) => !/^(\d{1,15})?-(\d{1,15})?$/.test(spec) || spec === '-')) return WHOLE;
  if (specs.length > 1) return { kind: 'unsatisfiable' };
  const [first, last] = specs[0]!.split('-') as [string, string];
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', range: { start: Math.max(0, size - length), end: size - 1 } };
  }
  const start = Number(first);
  // "bytes=5-2" is not a range at all: ignored, as the RFC asks.
  if (last !== '' && Number(last) < start) return WHOLE;
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Number(last);
  return { kind: 'range', range: { start, end: Math.min(end, size - 1) } };
}
