/** Pure helpers over scan progress, free of zod so the browser's scan views stay light. */
import type { ScanProgress, ScanStatus } from './scan.schema.js';

export function isTerminal(status: ScanStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** Photos per second and seconds left, from a snapshot; null until there is enough to say. */
export function estimateScan(progress: ScanProgress, now: number): { photosPerSecond: number | null; etaSeconds: number | null } {
  const done = progress.counts.processed + progress.counts.failed;
  if (progress.startedAt === null || done === 0) return { photosPerSecond: null, etaSeconds: null };
  const elapsedSeconds = Math.max((Math.min(now, progress.updatedAt) - progress.startedAt) / 1000, 0.001);
  const photosPerSecond = done / elapsedSeconds;
  const remaining = Math.max(progress.counts.listed - done, 0);
  const etaSeconds = progress.stage === 'processing' || progress.stage === 'listing' ? Math.ceil(remaining / photosPerSecond) : 0;
  return { photosPerSecond, etaSeconds: isTerminal(progress.status) ? 0 : etaSeconds };
}
