/**
 * What two photos of a library are to each other, and which copy to keep.
 *
 * Visual similarity alone does not make a duplicate at a concert: every photo
 * is a dark stage with bright lights, and from one seat it looks the same all
 * evening. In the 376-photo demo library, 65 of ~70,000 unrelated pairs are
 * within 10 bits (none within 4). Capture time separates the cases:
 *   - same bytes                              → 'exact'
 *   - similar, same moment (or a time missing) → 'near': one shot re-saved,
 *     resized, cropped, converted, edited (editors keep DateTimeOriginal)
 *   - similar, seconds apart                   → 'burst': frames of one burst,
 *     or quick retakes the user will want to choose from
 *   - similar, further apart                   → nothing, unless the pixels are
 *     all but identical (≤ sameImageDistance): then it is one picture whose
 *     date was rewritten on the way (an export, a clock fixed afterwards)
 */
import { hammingDistance } from './hamming.js';

export type DuplicateKind = 'exact' | 'near' | 'burst';

export interface DedupThresholds {
  /**
   * Largest Hamming distance between perceptual hashes of copies of one shot.
   * Measured on generated concert photos: resized to 50 %, re-encoded at q60,
   * PNG and 320 px thumbnails 0–2 bits, a 3 % crop 2–10, burst frames 0–4.
   * Hashes differ in an even number of bits (each has 32 bits set, unless a flat
   * picture makes coefficients tie), so 10 is as wide as 11, and both search chunks at radius 2 (137 values each).
   */
  nearThreshold: number;
  /** Similar photos taken at most this far apart are a burst: bursts and quick retakes, not a whole song's worth of shots. */
  burstWindowSeconds: number;
  /** Similar this closely, photos are one picture whatever their dates say. */
  sameImageDistance: number;
}

export const DEFAULT_DEDUP_THRESHOLDS: Readonly<DedupThresholds> = {
  nearThreshold: 10,
  burstWindowSeconds: 10,
  sameImageDistance: 2,
};

export interface PhotoPair {
  /** Hamming distance of the perceptual hashes; null when either photo has none. */
  distance: number | null;
  contentHashEqual: boolean;
  takenAtA: Date | null;
  takenAtB: Date | null;
}

export function classifyPair(pair: PhotoPair, thresholds: Partial<DedupThresholds> = {}): DuplicateKind | null {
  return pairClassifier(thresholds)(pair.distance, pair.contentHashEqual, instantOf(pair.takenAtA), instantOf(pair.takenAtB));
}

/**
 * classifyPair on plain numbers, for the dedup stage's inner loop (millions of pairs
 * when a library holds thousands of near-identical photos): the thresholds are
 * resolved once, and a pair costs a few comparisons, no allocation.
 * Times are epoch milliseconds, NaN when missing; distance -1 or null when either hash is missing.
 */
export function pairClassifier(thresholds: Partial<DedupThresholds> = {}) {
  const { nearThreshold, burstWindowSeconds, sameImageDistance } = { ...DEFAULT_DEDUP_THRESHOLDS, ...thresholds };
  const burstWindowMs = burstWindowSeconds * 1000;
  return (distance: number | null, contentHashEqual: boolean, takenAtA: number, takenAtB: number): DuplicateKind | null => {
    if (contentHashEqual) return 'exact';
    if (distance === null || distance < 0 || distance > nearThreshold) return null;
    if (Number.isNaN(takenAtA) || Number.isNaN(takenAtB) || isSameMoment(takenAtA, takenAtB)) return 'near';
    if (Math.abs(takenAtA - takenAtB) <= burstWindowMs) return 'burst';
    return distance <= sameImageDistance ? 'near' : null;
  };
}

/** Epoch milliseconds of a capture time, NaN when there is none (what pairClassifier takes). */
export function instantOf(takenAt: Date | null): number {
  return takenAt ? takenAt.getTime() : Number.NaN;
}

/**
 * Equal instants, or the same second when either time has no sub-seconds: a copy
 * made by a tool that drops SubSecTimeOriginal is still the same shot, while two
 * frames 120 ms apart with sub-seconds are not.
 */
function isSameMoment(a: number, b: number): boolean {
  if (a === b) return true;
  // A second or more apart is never one second (and this spares most pairs the remainders below).
  if (Math.abs(a - b) >= 1000) return false;
  const lacksSubSeconds = millisecondsOf(a) === 0 || millisecondsOf(b) === 0;
  return lacksSubSeconds && Math.floor(a / 1000) === Math.floor(b / 1000);
}

/** The sub-second part, 0–999, also before 1970 (as Date#getUTCMilliseconds). */
function millisecondsOf(instant: number): number {
  return ((instant % 1000) + 1000) % 1000;
}

/** A pair's classification straight from the two photos' hashes and times. */
export function classifyPhotos(
  a: { contentHash: string | null; perceptualHash: bigint | null; takenAt: Date | null },
  b: { contentHash: string | null; perceptualHash: bigint | null; takenAt: Date | null },
  thresholds: Partial<DedupThresholds> = {},
): DuplicateKind | null {
  return classifyPair(
    {
      distance: a.perceptualHash !== null && b.perceptualHash !== null ? hammingDistance(a.perceptualHash, b.perceptualHash) : null,
      contentHashEqual: a.contentHash !== null && a.contentHash === b.contentHash,
      takenAtA: a.takenAt,
      takenAtB: b.takenAt,
    },
    thresholds,
  );
}

export interface BestPhotoCandidate {
  id: number;
  width: number | null;
  height: number | null;
  byteSize: number | null;
}

/** The copy to keep as a group's primary: most pixels, then most bytes (least compressed), then the oldest row. */
export function pickBestPhoto(candidates: readonly BestPhotoCandidate[]): number {
  const [first, ...rest] = candidates;
  if (!first) throw new RangeError('pickBestPhoto needs at least one photo');
  let best = first;
  for (const candidate of rest) if (isBetter(candidate, best)) best = candidate;
  return best.id;
}

function isBetter(candidate: BestPhotoCandidate, current: BestPhotoCandidate): boolean {
  const pixels = (p: BestPhotoCandidate) => (p.width ?? 0) * (p.height ?? 0);
  if (pixels(candidate) !== pixels(current)) return pixels(candidate) > pixels(current);
  if ((candidate.byteSize ?? 0) !== (current.byteSize ?? 0)) return (candidate.byteSize ?? 0) > (current.byteSize ?? 0);
  return candidate.id < current.id;
}
