/**
 * Opaque keyset cursors: the sort key of the last row sent, as base64url JSON.
 * Clients only hand them back; a cursor that does not decode to its schema is
 * refused instead of silently restarting the list.
 */
import type { z } from 'zod';
import { ValidationError } from '../errors.js';

export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationError('Invalid cursor');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError('Invalid cursor');
  return parsed.data;
}
