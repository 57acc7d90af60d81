/**
 * The dedup stage's search, over a whole library: every photo looked up in the
 * multi-index (server/services/duplicate-index.ts) with the chunk values of
 * shared/hamming.ts, and each candidate classified by shared/dedup.ts — what
 * DedupService.run does for each photo of a scan, here for all of them at once
 * (a first scan of the whole library). The group writes that follow are left
 * out: they are a few statements per duplicate found, not per pair compared.
 */
import { DEFAULT_DEDUP_THRESHOLDS, classifyPhotos, type DedupThresholds } from '../../shared/dedup.js';
import type { DedupPhoto } from '../../server/repositories/photo.repository.js';
import { DuplicateIndex } from '../../server/services/duplicate-index.js';

export interface NearDuplicateSearch {
  photos: number;
  seconds: number;
  /** Photos the index returned: within the threshold, or the same bytes (pairs counted from both ends). */
  candidates: number;
  /** Related pairs (exact, near or burst), each counted once. */
  related: number;
}

export function searchLibrary(photos: readonly DedupPhoto[], thresholds: Pick<DedupThresholds, 'nearThreshold' | 'burstWindowSeconds'> = DEFAULT_DEDUP_THRESHOLDS): NearDuplicateSearch {
  const started = performance.now();
  const index = new DuplicateIndex(photos);
  let candidates = 0;
  let related = 0;
  for (const photo of photos) {
    if (photo.perceptualHash === null) continue;
    const found = index.related(photo, thresholds.nearThreshold);
    candidates += found.length;
    for (const other of found) if (other.id > photo.id && classifyPhotos(photo, other, thresholds)) related += 1;
  }
  return { photos: photos.length, seconds: (performance.now() - started) / 1000, candidates, related };
}
