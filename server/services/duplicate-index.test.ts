import { describe, expect, it } from 'vitest';
import { candidateChunkQueries } from '../../shared/hamming.js';
import type { DedupPhoto } from '../repositories/photo.repository.js';
import { DuplicateIndex } from './duplicate-index.js';

const photo = (id: number, perceptualHash: bigint | null, contentHash: string | null = null): DedupPhoto => ({
  id, perceptualHash, contentHash, takenAt: null, width: 100, height: 100, byteSize: 1000, duplicateGroupId: null,
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
    const found = index.candidates(photo(1, base, 'a'), candidateChunkQueries(base, 10)).map((p) => p.id).sort();
    expect(found).toContain(2);
    expect(found).toContain(4);
    expect(found).not.toContain(1);
  });

  it('does not return photos far from every chunk searched', () => {
    const found = index.candidates(photo(9, base), candidateChunkQueries(base, 3)).map((p) => p.id);
    expect(found).not.toContain(3);
    expect(found).not.toContain(5);
  });
});
