import { describe, expect, it } from 'vitest';
import { candidateChunkQueries, chunkNeighbours, chunkSearchRadius, hammingDistance, hashChunks, hashFromChunks } from './hamming.js';

/** A deterministic stream of 64-bit values (xorshift64). */
function* randomHashes(seed: bigint): Generator<bigint> {
  let x = seed;
  for (;;) {
    x ^= BigInt.asUintN(64, x << 13n);
    x ^= x >> 7n;
    x ^= BigInt.asUintN(64, x << 17n);
    yield x;
  }
}

function flipBits(hash: bigint, bits: number[]): bigint {
  return bits.reduce((h, bit) => h ^ (1n << BigInt(bit)), hash);
}

/** `count` distinct bit positions, by a partial Fisher–Yates shuffle. */
function randomBitPositions(random: Generator<bigint>, count: number): number[] {
  const positions = Array.from({ length: 64 }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Number((random.next().value as bigint) % BigInt(64 - i));
    [positions[i], positions[j]] = [positions[j] as number, positions[i] as number];
  }
  return positions.slice(0, count);
}

function slowDistance(a: bigint, b: bigint): number {
  return [...(a ^ b).toString(2)].filter((c) => c === '1').length;
}

describe('hammingDistance', () => {
  it('is zero for equal hashes and 64 for complements', () => {
    expect(hammingDistance(0x0123456789abcdefn, 0x0123456789abcdefn)).toBe(0);
    expect(hammingDistance(0n, 0xffffffffffffffffn)).toBe(64);
  });

  it('counts differing bits in both 32-bit halves', () => {
    expect(hammingDistance(0n, 1n)).toBe(1);
    expect(hammingDistance(0n, 1n << 63n)).toBe(1);
    expect(hammingDistance(0n, (1n << 32n) | (1n << 31n))).toBe(2);
  });

  it('agrees with a bit-by-bit count on random hashes', () => {
    const hashes = randomHashes(0x9e3779b97f4a7c15n);
    for (let i = 0; i < 500; i++) {
      const a = hashes.next().value as bigint;
      const b = hashes.next().value as bigint;
      expect(hammingDistance(a, b)).toBe(slowDistance(a, b));
    }
  });
});

describe('hashChunks', () => {
  it('splits a hash into four 16-bit chunks, most significant first', () => {
    expect(hashChunks(0x0123456789abcdefn)).toEqual([0x0123, 0x4567, 0x89ab, 0xcdef]);
  });

  it('is undone by hashFromChunks', () => {
    const hashes = randomHashes(42n);
    for (let i = 0; i < 100; i++) {
      const hash = hashes.next().value as bigint;
      expect(hashFromChunks(hashChunks(hash))).toBe(hash);
    }
  });

  it('refuses chunk values that do not fit 16 bits', () => {
    expect(() => hashFromChunks([0, 0, 0, 0x10000])).toThrow(RangeError);
  });
});

describe('candidateChunkQueries', () => {
  it('searches each chunk at radius ⌊threshold/4⌋', () => {
    expect([0, 3, 4, 7, 8, 11, 12, 15].map(chunkSearchRadius)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(() => chunkSearchRadius(16)).toThrow(RangeError);
    expect(() => chunkSearchRadius(-1)).toThrow(RangeError);
  });

  it('looks up 1, 17, 137 or 697 distinct values per chunk', () => {
    for (const [threshold, count] of [
      [2, 1],
      [5, 17],
      [10, 137],
      [13, 697],
    ] as const) {
      const queries = candidateChunkQueries(0xdeadbeefcafef00dn, threshold);
      expect(queries).toHaveLength(4);
      for (const values of queries) {
        expect(values).toHaveLength(count);
        expect(new Set(values).size).toBe(count);
      }
    }
  });

  it('lists the chunk itself first, then values within the radius only', () => {
    const values = chunkNeighbours(0xbeef, 2);
    expect(values[0]).toBe(0xbeef);
    for (const value of values) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(0xffff);
      expect(hammingDistance(BigInt(value), 0xbeefn)).toBeLessThanOrEqual(2);
    }
  });

  it('finds every hash within the threshold, however its differing bits are spread', () => {
    const hashes = randomHashes(7n);
    const threshold = 10;
    for (let i = 0; i < 300; i++) {
      const query = hashes.next().value as bigint;
      const neighbour = flipBits(query, randomBitPositions(hashes, threshold));
      expect(hammingDistance(query, neighbour)).toBe(threshold);
      const queries = candidateChunkQueries(query, threshold);
      const chunks = hashChunks(neighbour);
      expect(chunks.some((chunk, index) => queries[index]?.includes(chunk))).toBe(true);
    }
  });

  it('finds the worst case for the pigeonhole bound: the distance spread evenly over the chunks', () => {
    const query = 0n;
    // 3 + 3 + 2 + 2 = 10 bits: two chunks at exactly radius 2.
    const neighbour = flipBits(query, [0, 1, 2, 16, 17, 18, 32, 33, 48, 49]);
    const queries = candidateChunkQueries(query, 10);
    expect(hashChunks(neighbour).some((chunk, index) => queries[index]?.includes(chunk))).toBe(true);
  });
});
