import { CHUNK_COUNT, candidateChunkQueries, hashChunks, hashHalves, popcount32 } from '../../shared/hamming.js';
import type { DedupPhoto } from '../repositories/photo.repository.js';

/**
 * Multi-index hashing in memory: each 64-bit perceptual hash is filed under its
 * four 16-bit chunks, and photos under their content hash. A lookup probes each
 * chunk's search values (see candidateChunkQueries) and keeps the candidates
 * within the threshold. At a threshold of 10 every photo draws about 1 % of the
 * library as candidates, so the comparisons still grow with n²: they run on the
 * hashes' 32-bit halves in typed arrays, with a stamp array instead of a Set per
 * lookup, so that a first scan of 100,000 photos takes seconds (docs/BENCHMARKS.md).
 */
export class DuplicateIndex {
  private readonly photos: DedupPhoto[];
  /** Per chunk, positions grouped by chunk value: byChunk[i].positions[starts[v] .. starts[v + 1]) have value v. */
  private readonly byChunk: Array<{ starts: Uint32Array; positions: Uint32Array }>;
  private readonly byContentHash = new Map<string, number[]>();
  private readonly high: Uint32Array;
  private readonly low: Uint32Array;
  /** seen[position] === stamp: already considered in the current lookup. */
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(photos: Iterable<DedupPhoto>) {
    this.photos = [...photos];
    const count = this.photos.length;
    this.high = new Uint32Array(count);
    this.low = new Uint32Array(count);
    this.seen = new Uint32Array(count);
    const chunks = Array.from({ length: CHUNK_COUNT }, () => new Int32Array(count).fill(-1));
    this.photos.forEach((photo, position) => {
      if (photo.perceptualHash !== null) {
        [this.high[position], this.low[position]] = hashHalves(photo.perceptualHash);
        hashChunks(photo.perceptualHash).forEach((chunk, i) => (chunks[i]![position] = chunk));
      }
      if (photo.contentHash) push(this.byContentHash, photo.contentHash, position);
    });
    this.byChunk = chunks.map(groupByValue);
  }

  /** The other photos with the same content hash or a perceptual hash within `threshold` bits. */
  related(photo: DedupPhoto, threshold: number): DedupPhoto[] {
    const stamp = this.nextStamp();
    const found: DedupPhoto[] = [];
    const keep = (position: number) => {
      const other = this.photos[position]!;
      if (other.id !== photo.id) found.push(other);
    };
    for (const position of (photo.contentHash && this.byContentHash.get(photo.contentHash)) || []) {
      this.seen[position] = stamp;
      keep(position);
    }
    if (photo.perceptualHash === null) return found;
    const [high, low] = hashHalves(photo.perceptualHash);
    candidateChunkQueries(photo.perceptualHash, threshold).forEach((values, i) => {
      const { starts, positions } = this.byChunk[i]!;
      for (const value of values) {
        for (let k = starts[value]!, end = starts[value + 1]!; k < end; k += 1) {
          const position = positions[k]!;
          if (this.seen[position] === stamp) continue;
          this.seen[position] = stamp;
          if (popcount32(high ^ this.high[position]!) + popcount32(low ^ this.low[position]!) <= threshold) keep(position);
        }
      }
    });
    return found;
  }

  private nextStamp(): number {
    if (this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }
}

/** A counting sort of positions by their 16-bit chunk value (-1: no hash). */
function groupByValue(values: Int32Array) {
  const starts = new Uint32Array(0x10000 + 1);
  for (const value of values) if (value >= 0) starts[value + 1]! += 1;
  for (let v = 0; v < 0x10000; v += 1) starts[v + 1]! += starts[v]!;
  const next = starts.slice(0, 0x10000);
  const positions = new Uint32Array(starts[0x10000]!);
  values.forEach((value, position) => {
    if (value >= 0) positions[next[value]!++] = position;
  });
  return { starts, positions };
}

function push<K>(map: Map<K, number[]>, key: K, position: number) {
  const list = map.get(key);
  if (list) list.push(position);
  else map.set(key, [position]);
}
