import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FileTooLargeError } from '../sources/photo-source.js';

/**
 * SHA-256 (hex) of bytes or of a file read in 1 MB pieces, so hashing costs no memory
 * whatever the file's size. A file that grows past `maxBytes` while it is read (its
 * size was checked when it was opened) fails with FileTooLargeError.
 */
export async function sha256Of(input: Buffer | string, maxBytes: number): Promise<{ hex: string; bytes: number }> {
  const hash = createHash('sha256');
  if (typeof input !== 'string') {
    if (input.length > maxBytes) throw new FileTooLargeError(maxBytes);
    return { hex: hash.update(input).digest('hex'), bytes: input.length };
  }
  let bytes = 0;
  const stream = createReadStream(input, { highWaterMark: 1024 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > maxBytes) throw new FileTooLargeError(maxBytes);
      hash.update(chunk);
    }
  } finally {
    stream.destroy();
  }
  return { hex: hash.digest('hex'), bytes };
}
