import { describe, expect, it } from 'vitest';
import { DEFAULT_DEDUP_THRESHOLDS } from '../../shared/dedup.js';
import { hammingDistance } from '../../shared/hamming.js';
import { HASH_INPUT_SIZE, perceptualHashOfGrey } from './perceptual-hash.js';

const N = HASH_INPUT_SIZE;
const picture = (brightness: (x: number, y: number) => number) =>
  Uint8Array.from({ length: N * N }, (_, i) => Math.max(0, Math.min(255, Math.round(brightness(i % N, Math.floor(i / N))))));

const stage = (x: number, y: number) => 40 + 120 * Math.exp(-((x - 20) ** 2 + (y - 10) ** 2) / 40) + (y > 24 ? -30 : 0);

describe('perceptualHashOfGrey', () => {
  it('sets half of the bits: those of coefficients above the median', () => {
    const hash = perceptualHashOfGrey(picture(stage));
    expect(hammingDistance(hash, 0n)).toBe(32);
    // The DC coefficient (overall brightness) is always the largest, in bit 63.
    expect(hash >> 63n).toBe(1n);
  });

  it('ignores a change of overall brightness, which only moves the DC coefficient', () => {
    expect(perceptualHashOfGrey(picture((x, y) => stage(x, y) + 30))).toBe(perceptualHashOfGrey(picture(stage)));
  });

  it('stays within the near-duplicate threshold under noise and moves far for another picture', () => {
    let seed = 1;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed / 2147483648 - 0.5) * 6;
    };
    const original = perceptualHashOfGrey(picture(stage));
    expect(hammingDistance(original, perceptualHashOfGrey(picture((x, y) => stage(x, y) + noise())))).toBeLessThanOrEqual(
      DEFAULT_DEDUP_THRESHOLDS.nearThreshold,
    );
    const other = perceptualHashOfGrey(picture((x, y) => 40 + 120 * Math.exp(-((x - 6) ** 2 + (y - 26) ** 2) / 30)));
    expect(hammingDistance(original, other)).toBeGreaterThan(16);
  });

  it('refuses input of the wrong size', () => {
    expect(() => perceptualHashOfGrey(new Uint8Array(10))).toThrow(RangeError);
  });
});
