/**
 * Hamming distance between 64-bit perceptual hashes, and the multi-index search
 * that finds every stored hash within a distance without comparing all pairs.
 *
 * A hash is stored whole (bigint unsigned); the search splits it into four 16-bit
 * chunks in memory (server/services/duplicate-index.ts), chunk 0 the most
 * significant 16 bits.
 */

export const HASH_BITS = 64;
export const CHUNK_COUNT = 4;
const CHUNK_BITS = 16;
const CHUNK_MASK = 0xffffn;

export type HashChunks = [number, number, number, number];

/** Number of differing bits between two 64-bit hashes. */
export function hammingDistance(a: bigint, b: bigint): number {
  const x = BigInt.asUintN(HASH_BITS, a ^ b);
  return popcount32(Number(x & 0xffffffffn)) + popcount32(Number(x >> 32n));
}

/** Set bits of a 32-bit value. */
export function popcount32(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

/** The high and low 32 bits of a 64-bit hash, for comparing many hashes without bigint arithmetic. */
export function hashHalves(hash: bigint): [high: number, low: number] {
  const h = BigInt.asUintN(HASH_BITS, hash);
  return [Number(h >> 32n), Number(h & 0xffffffffn)];
}

/** The four 16-bit chunks of a hash, most significant first. */
export function hashChunks(hash: bigint): HashChunks {
  const h = BigInt.asUintN(HASH_BITS, hash);
  return [Number((h >> 48n) & CHUNK_MASK), Number((h >> 32n) & CHUNK_MASK), Number((h >> 16n) & CHUNK_MASK), Number(h & CHUNK_MASK)];
}

/** Inverse of hashChunks. */
export function hashFromChunks(chunks: readonly [number, number, number, number]): bigint {
  let hash = 0n;
  for (const chunk of chunks) {
    if (!Number.isInteger(chunk) || chunk < 0 || chunk > 0xffff) throw new RangeError(`Not a 16-bit chunk: ${chunk}`);
    hash = (hash << BigInt(CHUNK_BITS)) | BigInt(chunk);
  }
  return hash;
}

/** Largest threshold the chunk search supports: radius 3 per chunk, 697 values per chunk. */
export const MAX_SEARCH_THRESHOLD = 15;

/**
 * How far each chunk may be from the query's chunk. If two hashes differ in at most
 * t bits, spread over 4 chunks, at least one chunk differs in at most ⌊t/4⌋ bits
 * (pigeonhole: otherwise every chunk differs in ⌊t/4⌋+1 or more, 4·(⌊t/4⌋+1) > t).
 */
export function chunkSearchRadius(threshold: number): number {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > MAX_SEARCH_THRESHOLD) {
    throw new RangeError(`Hamming threshold must be an integer from 0 to ${MAX_SEARCH_THRESHOLD}, got ${threshold}`);
  }
  return Math.floor(threshold / CHUNK_COUNT);
}

/**
 * The chunk values to look up, per chunk index, to find every stored hash within
 * `threshold` bits of `hash`:
 *
 *   chunk 0 in values[0], or chunk 1 in values[1], or ... (each a lookup in that chunk's map)
 *
 * Each list holds the query's chunk and every 16-bit value within the search
 * radius ⌊t/4⌋ of it: 1 value for radius 0, 17 for 1, 137 for 2, 697 for 3. By
 * the pigeonhole argument in chunkSearchRadius, every hash within distance t
 * matches at least one list, so the search is exact: it never misses a pair.
 * It does return extra candidates (close in one chunk, far in total), so callers
 * keep only those with hammingDistance(hash, candidate) <= threshold.
 */
export function candidateChunkQueries(hash: bigint, threshold: number): [number[], number[], number[], number[]] {
  const radius = chunkSearchRadius(threshold);
  const [c0, c1, c2, c3] = hashChunks(hash);
  return [chunkNeighbours(c0, radius), chunkNeighbours(c1, radius), chunkNeighbours(c2, radius), chunkNeighbours(c3, radius)];
}

/** Every 16-bit value within `radius` flipped bits of `chunk`, the chunk itself first. */
export function chunkNeighbours(chunk: number, radius: number): number[] {
  const values = [chunk];
  const flip = (value: number, lowestBit: number, flipsLeft: number) => {
    if (flipsLeft === 0) return;
    for (let bit = lowestBit; bit < CHUNK_BITS; bit++) {
      const flipped = value ^ (1 << bit);
      values.push(flipped);
      flip(flipped, bit + 1, flipsLeft - 1);
    }
  };
  flip(chunk, 0, radius);
  return values;
}
