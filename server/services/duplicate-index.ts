import { CHUNK_COUNT, hashChunks } from '../../shared/hamming.js';
import type { DedupPhoto } from '../repositories/photo.repository.js';

/**
 * Multi-index hashing in memory: each 64-bit perceptual hash is filed under its
 * four 16-bit chunks, and photos under their content hash. A lookup probes each
 * chunk's search values (see candidateChunkQueries), so finding a photo's copies
 * costs a few hundred map lookups, never a comparison with every photo.
 */
export class DuplicateIndex {
  private readonly byChunk = Array.from({ length: CHUNK_COUNT }, () => new Map<number, number[]>());
  private readonly byContentHash = new Map<string, number[]>();
  private readonly photos = new Map<number, DedupPhoto>();

  constructor(photos: Iterable<DedupPhoto>) {
    for (const photo of photos) this.add(photo);
  }

  private add(photo: DedupPhoto) {
    this.photos.set(photo.id, photo);
    if (photo.perceptualHash !== null) {
      hashChunks(photo.perceptualHash).forEach((chunk, i) => push(this.byChunk[i]!, chunk, photo.id));
    }
    if (photo.contentHash) push(this.byContentHash, photo.contentHash, photo.id);
  }

  /** The other photos sharing the content hash or a chunk among `chunkValues` (one list per chunk). */
  candidates(photo: DedupPhoto, chunkValues: readonly number[][]): DedupPhoto[] {
    const ids = new Set<number>(photo.contentHash ? this.byContentHash.get(photo.contentHash) : []);
    chunkValues.forEach((values, i) => {
      for (const value of values) for (const id of this.byChunk[i]!.get(value) ?? []) ids.add(id);
    });
    ids.delete(photo.id);
    return [...ids].map((id) => this.photos.get(id)!);
  }
}

function push<K>(map: Map<K, number[]>, key: K, id: number) {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}
