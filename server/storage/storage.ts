import type { Readable } from 'node:stream';

/**
 * Where photo renditions and uploads live. Keys come only from storage-keys.ts
 * (ids and content hashes), never from file names or user text.
 */
export interface ObjectStorage {
  put(key: string, body: Buffer | Readable, contentType: string): Promise<void>;
  /**
   * The object's bytes as a stream, or null when it does not exist. With `range` (inclusive byte offsets,
   * already checked against the size by the caller), only those bytes; `size` is always the whole object's.
   */
  get(key: string, range?: ByteRange): Promise<{ body: Readable; size: number } | null>;
  read(key: string): Promise<Buffer | null>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Every key under a prefix, page by page, without loading the listing into memory. */
  list(prefix: string): AsyncGenerator<Array<{ key: string; size: number; modifiedAt: Date }>>;
}

/** Inclusive, as in an HTTP Range header: bytes start..end. */
export interface ByteRange {
  start: number;
  end: number;
}
