import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalDiskStorage } from '../storage/local-disk-storage.js';
import type { ObjectStorage } from '../storage/storage.js';
import { putStreamed } from './streamed-object.js';

const KEY = 'users/1/exports/7.csv';

async function localStorage() {
  const root = await mkdtemp(join(tmpdir(), 'ch-streamed-'));
  return { root, storage: new LocalDiskStorage(root) };
}

describe('writing an object while it is produced', () => {
  it('stores every piece in order and counts the bytes', async () => {
    const { storage } = await localStorage();
    const piece = 'é'.repeat(100_000);
    const { byteSize } = await putStreamed(storage, KEY, 'text/csv', async (sink) => {
      for (let i = 0; i < 30; i += 1) await sink.write(i % 2 ? Buffer.from(piece) : piece);
      await sink.write('');
    });
    expect(byteSize).toBe(30 * 200_000);
    const stored = await storage.read(KEY);
    expect(stored?.length).toBe(byteSize);
    expect(stored?.toString('utf8')).toBe(piece.repeat(30));
  });

  it('leaves no object, not even a temporary file, when the producer fails halfway', async () => {
    const { root, storage } = await localStorage();
    await expect(
      putStreamed(storage, KEY, 'text/csv', async (sink) => {
        await sink.write('a'.repeat(3_000_000));
        throw new Error('the database went away');
      }),
    ).rejects.toThrow('the database went away');
    expect(await storage.exists(KEY)).toBe(false);
    expect(await readdir(join(root, 'users', '1', 'exports'))).toEqual([]);
  });

  it('stops the producer at its next write when storage fails', async () => {
    const { storage: disk } = await localStorage();
    const refusing: ObjectStorage = Object.assign(Object.create(disk) as ObjectStorage, {
      put: () => Promise.reject(new Error('bucket is read-only')),
    });
    let writes = 0;
    await expect(
      putStreamed(refusing, KEY, 'text/csv', async (sink) => {
        for (;;) {
          await sink.write('x'.repeat(64 * 1024));
          writes += 1;
        }
      }),
    ).rejects.toThrow('bucket is read-only');
    // About one buffer's worth at most, never an endless one.
    expect(writes).toBeLessThanOrEqual(20);
  });
});
