import { describe, expect, it } from 'vitest';
import { hammingDistance, hashFromChunks } from '../../shared/hamming.js';
import type { DedupPhoto } from '../repositories/photo.repository.js';
import { DuplicateIndex } from './duplicate-index.js';

const photo = (id: number, perceptualHash: bigint | null, contentHash: string | null = null): DedupPhoto => ({
  id,
  perceptualHash,
  contentHash,
  takenAt: null,
  width: 100,
  height: 100,
  byteSize: 1000,
  duplicateGroupId: null,
});

describe('DuplicateIndex', () => {
  const base = 0x0123_4567_89ab_cdefn;
  const index = new DuplicateIndex([
    photo(1, base, 'a'),
    photo(2, base ^ 0b1011n), // 3 bits apart
    photo(3, base ^ 0xffff_ffff_ffff_ffffn), // every bit, so every chunk, differs
    photo(4, 0xfedc_ba98_7654_3210n, 'a'), // same bytes as 1, another hash (cannot happen, but keys are separate)
    photo(5, null, null),
  ]);

  it('finds every photo within the threshold, and copies by content hash, never the photo itself', () => {
    expect(
      index
        .related(photo(1, base, 'a'), 10)
        .map((p) => p.id)
        .sort(),
    ).toEqual([2, 4]);
  });

  it('leaves out photos beyond the threshold, even when a chunk matches', () => {
    // 2 is 3 bits away: within 3, not within 2 (its changed bits are all in the last chunk, which the search still probes).
    expect(index.related(photo(9, base), 3).map((p) => p.id)).toEqual([1, 2]);
    expect(index.related(photo(9, base), 2).map((p) => p.id)).toEqual([1]);
    expect(index.related(photo(9, base ^ 0xffff_0000_0000_0000n), 15).map((p) => p.id)).toEqual([]);
  });

  it('agrees with a comparison of every pair on random hashes', () => {
    let seed = 7;
    const random16 = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) & 0xffff;
    };
    const hashOf = () => hashFromChunks([random16(), random16(), random16(), random16()]);
    const centre = hashOf();
    // Half near one hash (a few flipped bits), half anywhere.
    const photos = Array.from({ length: 400 }, (_, i) =>
      photo(100 + i, i % 2 ? hashOf() : centre ^ (1n << BigInt(random16() % 64)) ^ (1n << BigInt(random16() % 64)) ^ (1n << BigInt(random16() % 64))),
    );
    const many = new DuplicateIndex(photos);
    for (const threshold of [4, 10, 15]) {
      for (const query of photos.slice(0, 40)) {
        const expected = photos
          .filter((p) => p.id !== query.id && hammingDistance(p.perceptualHash!, query.perceptualHash!) <= threshold)
          .map((p) => p.id);
        expect(
          many
            .related(query, threshold)
            .map((p) => p.id)
            .sort((a, b) => a - b),
        ).toEqual(expected);
      }
    }
  });

  it('never finds a removed photo again, by hash or by content, and still finds the others', () => {
    const photos = [photo(1, base, 'a'), photo(2, base ^ 0b1n, 'a'), photo(3, base ^ 0b11n, 'a'), photo(4, base ^ 0b111n)];
    const shrinking = new DuplicateIndex(photos);
    // Positions, in the order given: position 1 is photo 2.
    shrinking.remove(1);
    expect(
      shrinking
        .related(photo(9, base, 'a'), 10)
        .map((p) => p.id)
        .sort(),
    ).toEqual([1, 3, 4]);
    shrinking.remove(3);
    shrinking.remove(3);
    expect(
      shrinking
        .related(photo(9, base, 'a'), 10)
        .map((p) => p.id)
        .sort(),
    ).toEqual([1, 3]);
    expect(
      shrinking
        .related(photo(9, null, 'a'), 10)
        .map((p) => p.id)
        .sort(),
    ).toEqual([1, 3]);
    shrinking.remove(0);
    shrinking.remove(2);
    expect(shrinking.related(photo(9, base, 'a'), 10)).toEqual([]);
  });
});
