import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ObjectStorage } from '../storage/storage.js';

/** Where a file being built goes, piece by piece; `write` waits while storage is behind. */
export interface ByteSink {
  write(piece: Buffer | string): Promise<void>;
}

/** What storage holds before the producer waits for it: a few pages of a file, whatever its length. */
const BUFFER_BYTES = 1 << 20;

/**
 * Writes an object into storage while it is being produced: pieces go through a
 * small buffer straight into `storage.put` (a temp file then a rename on disk, a
 * streamed upload on S3), and the producer waits whenever that buffer is full, so
 * a file of any size costs about one buffer of memory. A failing producer leaves
 * no object behind (the upload is aborted); a failing storage stops the producer
 * at its next write.
 */
export async function putStreamed(
  storage: ObjectStorage,
  key: string,
  contentType: string,
  produce: (sink: ByteSink) => Promise<void>,
): Promise<{ byteSize: number }> {
  const body = new PassThrough({ highWaterMark: BUFFER_BYTES });
  // Storage reads `body` and answers its errors through `stored`; this keeps a failure from also being an uncaught one.
  body.on('error', () => {});
  const stored = storage.put(key, body, contentType);
  // Settles only if storage stops early (it failed, or it finished before the end it was never sent).
  const stoppedEarly = stored.then(
    () => Promise.reject(new Error('Storage stopped reading the export before its end')),
    (error: unknown) => Promise.reject(error),
  );
  let storageFailure: { error: unknown } | null = null;
  stoppedEarly.catch((error: unknown) => (storageFailure = { error }));
  let byteSize = 0;
  const sink: ByteSink = {
    async write(piece) {
      if (storageFailure) throw storageFailure.error;
      const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      if (!bytes.length) return;
      byteSize += bytes.length;
      if (!body.write(bytes)) await Promise.race([once(body, 'drain'), stoppedEarly]);
    },
  };
  try {
    await produce(sink);
  } catch (error) {
    body.destroy(error as Error);
    await stored.catch(() => {});
    throw error;
  }
  body.end();
  await stored;
  return { byteSize };
}
