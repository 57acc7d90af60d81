/**
 * DCT perceptual hash (pHash) of a 32×32 greyscale picture: the 8×8 lowest
 * frequencies of its 2-D DCT-II, one bit per coefficient, set when the
 * coefficient is above their median. Same construction as the `imagehash`
 * Python library's phash, so hashes are comparable with it. Low frequencies
 * survive resizing, re-compression and small crops; noise and detail do not
 * reach them.
 */

export const HASH_INPUT_SIZE = 32;
const LOW_FREQUENCIES = 8;

/** COSINES[u * 32 + x] = cos(π·u·(2x+1) / 64) for the 8 frequencies kept. */
const COSINES = (() => {
  const table = new Float64Array(LOW_FREQUENCIES * HASH_INPUT_SIZE);
  for (let u = 0; u < LOW_FREQUENCIES; u++) {
    for (let x = 0; x < HASH_INPUT_SIZE; x++) {
      table[u * HASH_INPUT_SIZE + x] = Math.cos((Math.PI * u * (2 * x + 1)) / (2 * HASH_INPUT_SIZE));
    }
  }
  return table;
})();

/** 64-bit hash of 32×32 greyscale pixels (row-major, one byte each). Bit 63 is the DC coefficient. */
export function perceptualHashOfGrey(pixels: Uint8Array): bigint {
  const n = HASH_INPUT_SIZE;
  if (pixels.length !== n * n) throw new RangeError(`Expected ${n * n} greyscale pixels, got ${pixels.length}`);

  // Separable DCT, computing only the 8 low frequencies on each axis.
  const rows = new Float64Array(n * LOW_FREQUENCIES);
  for (let y = 0; y < n; y++) {
    for (let u = 0; u < LOW_FREQUENCIES; u++) {
      let sum = 0;
      for (let x = 0; x < n; x++) sum += (pixels[y * n + x] as number) * (COSINES[u * n + x] as number);
      rows[y * LOW_FREQUENCIES + u] = sum;
    }
  }
  const coefficients = new Float64Array(LOW_FREQUENCIES * LOW_FREQUENCIES);
  for (let v = 0; v < LOW_FREQUENCIES; v++) {
    for (let u = 0; u < LOW_FREQUENCIES; u++) {
      let sum = 0;
      for (let y = 0; y < n; y++) sum += (rows[y * LOW_FREQUENCIES + u] as number) * (COSINES[v * n + y] as number);
      coefficients[v * LOW_FREQUENCIES + u] = sum;
    }
  }

  const median = medianOf(coefficients);
  let hash = 0n;
  for (const coefficient of coefficients) hash = (hash << 1n) | (coefficient > median ? 1n : 0n);
  return hash;
}

function medianOf(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length / 2;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
