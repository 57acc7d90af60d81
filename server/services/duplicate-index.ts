import { CHUNK_COUNT, candidateChunkQueries, hashChunks, hashHalves, popcount32 } from '../../shared/hamming.js';
import type { DedupPhoto } from '../repositories/photo.repository.js';

/** Per chunk, positions grouped by chunk value: positions[starts[v] .. ends[v]) have value v; slots[p] is p's place in it. */
interface ChunkList {
  values: Int32Array;
  starts: Uint32Array;
  ends: Uint32Array;
  positions: Uint32Array;
  slots: Uint32Array;
}

/**
 * Multi-index hashing in memory: each 64-bit perceptual hash is filed under its
 * four 16-bit chunks, and photos under their content hash. A lookup probes each
 * chunk's search values (see candidateChunkQueries) and keeps the candidates
 * within the threshold. At a threshold of 10 every photo draws about 1 % of the
 * library as candidates, so the comparisons still grow with n²: they run on the
 * hashes' 32-bit halves in typed arrays, with a stamp array instead of a Set per
 * lookup, so that a first scan of 100,000 photos takes seconds (docs/BENCHMARKS.md).
 * A photo whose pairs have all been seen can be removed, so that a library of
 * near-identical photos, where every photo is every other's candidate, costs
 * each pair once rather than twice.
 */
export class DuplicateIndex {
  private readonly photos: DedupPhoto[];
  private readonly byChunk: ChunkList[];
  private readonly byContentHash = new Map<string, number[]>();
  /** contentSlots[p]: p's place in its content hash's list. */
  private readonly contentSlots: Uint32Array;
  private readonly high: Uint32Array;
  private readonly low: Uint32Array;
  /** 1 where the photo has a perceptual hash. */
  private readonly hashed: Uint8Array;
  private readonly removed: Uint8Array;
  /** seen[position] === stamp: already considered in the current lookup. */
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(photos: Iterable<DedupPhoto>) {
    this.photos = [...photos];
    const count = this.photos.length;
    this.high = new Uint32Array(count);
    this.low = new Uint32Array(count);
    this.seen = new Uint32Array(count);
    this.hashed = new Uint8Array(count);
    this.removed = new Uint8Array(count);
    this.contentSlots = new Uint32Array(count);
    const chunks = Array.from({ length: CHUNK_COUNT }, () => new Int32Array(count).fill(-1));
    this.photos.forEach((photo, position) => {
      if (photo.perceptualHash !== null) {
        [this.high[position], this.low[position]] = hashHalves(photo.perceptualHash);
        this.hashed[position] = 1;
        hashChunks(photo.perceptualHash).forEach((chunk, i) => {
          chunks[i]![position] = chunk;
        });
      }
      if (photo.contentHash) this.contentSlots[position] = push(this.byContentHash, photo.contentHash, position);
    });
    this.byChunk = chunks.map(groupByValue);
  }

  /** The other photos with the same content hash or a perceptual hash within `threshold` bits. */
  related(photo: DedupPhoto, threshold: number): DedupPhoto[] {
    const found: DedupPhoto[] = [];
    this.forEachRelated(photo, threshold, (position) => found.push(this.photos[position]!));
    return found;
  }

  get size(): number {
    return this.photos.length;
  }

  /**
   * What `related` finds, without building a list: `visit` gets each photo's position (in the
   * order the index was given the photos) and the Hamming distance (-1 when either photo has
   * no perceptual hash, possible for same-bytes copies). Each photo is visited once per call,
   * never the photo itself (by id), never a removed one. `visit` must not remove photos.
   */
  forEachRelated(photo: DedupPhoto, threshold: number, visit: (position: number, distance: number) => void): void {
    const stamp = this.nextStamp();
    const hashed = photo.perceptualHash !== null;
    const [high, low] = hashed ? hashHalves(photo.perceptualHash!) : [0, 0];
    const sameBytes = photo.contentHash ? this.byContentHash.get(photo.contentHash) : undefined;
    for (const position of sameBytes ?? []) {
      this.seen[position] = stamp;
      if (this.photos[position]!.id === photo.id) continue;
      visit(position, hashed && this.hashed[position] ? popcount32(high ^ this.high[position]!) + popcount32(low ^ this.low[position]!) : -1);
    }
    if (!hashed) return;
    candidateChunkQueries(photo.perceptualHash!, threshold).forEach((values, i) => {
      const { starts, ends, positions } = this.byChunk[i]!;
      for (const value of values) {
        for (let k = starts[value]!, end = ends[value]!; k < end; k += 1) {
          const position = positions[k]!;
          if (this.seen[position] === stamp) continue;
          this.seen[position] = stamp;
          const distance = popcount32(high ^ this.high[position]!) + popcount32(low ^ this.low[position]!);
          if (distance <= threshold && this.photos[position]!.id !== photo.id) visit(position, distance);
        }
      }
    });
  }

  /** Takes a photo out: no later lookup finds it. Constant time; not from inside a lookup's `visit`. */
  remove(position: number): void {
    if (this.removed[position]) return;
    this.removed[position] = 1;
    for (const { values, ends, positions, slots } of this.byChunk) {
      const value = values[position]!;
      if (value < 0) continue;
      const last = --ends[value]!;
      const moved = positions[last]!;
      positions[slots[position]!] = moved;
      slots[moved] = slots[position]!;
      positions[last] = position;
      slots[position] = last;
    }
    const list = this.photos[position]!.contentHash ? this.byContentHash.get(this.photos[position]!.contentHash!) : undefined;
    if (list) {
      const moved = list.pop()!;
      if (moved !== position) {
        list[this.contentSlots[position]!] = moved;
        this.contentSlots[moved] = this.contentSlots[position]!;
      }
    }
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
function groupByValue(values: Int32Array): ChunkList {
  const starts = new Uint32Array(0x10000 + 1);
  for (const value of values) if (value >= 0) starts[value + 1]! += 1;
  for (let v = 0; v < 0x10000; v += 1) starts[v + 1]! += starts[v]!;
  const ends = starts.slice(1);
  const next = starts.slice(0, 0x10000);
  const positions = new Uint32Array(starts[0x10000]!);
  const slots = new Uint32Array(values.length);
  values.forEach((value, position) => {
    if (value < 0) return;
    slots[position] = next[value]!;
    positions[next[value]!++] = position;
  });
  return { values, starts, ends, positions, slots };
}

/** Appends `position` to the key's list; returns its place in it. */
function push<K>(map: Map<K, number[]>, key: K, position: number): number {
  const list = map.get(key);
  if (list) return list.push(position) - 1;
  map.set(key, [position]);
  return 0;
}
