import { z } from 'zod';

export const SCAN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export const scanStatusSchema = z.enum(SCAN_STATUSES);
export type ScanStatus = z.infer<typeof scanStatusSchema>;

export const scanCountsSchema = z.object({
  listed: z.number().int().min(0),
  processed: z.number().int().min(0),
  failed: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  matched: z.number().int().min(0),
});
export type ScanCounts = z.infer<typeof scanCountsSchema>;

export const SCAN_STAGES = ['queued', 'listing', 'processing', 'deduplicating', 'done'] as const;
export type ScanStage = (typeof SCAN_STAGES)[number];

/** What the browser receives for a scan, live or finished. */
export const scanProgressSchema = z.object({
  scanId: z.number().int().positive(),
  status: scanStatusSchema,
  stage: z.enum(SCAN_STAGES),
  counts: scanCountsSchema,
  startedAt: z.number().nullable(),
  updatedAt: z.number(),
});
export type ScanProgress = z.infer<typeof scanProgressSchema>;

export function isTerminal(status: ScanStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** Photos per second and seconds left, from a snapshot; null until there is enough to say. */
export function estimateScan(progress: ScanProgress, now: number): { photosPerSecond: number | null; etaSeconds: number | null } {
  const done = progress.counts.processed + progress.counts.failed;
  if (!progress.startedAt || done === 0) return { photosPerSecond: null, etaSeconds: null };
  const elapsedSeconds = Math.max((Math.min(now, progress.updatedAt) - progress.startedAt) / 1000, 0.001);
  const photosPerSecond = done / elapsedSeconds;
  const remaining = Math.max(progress.counts.listed - done, 0);
  const etaSeconds = progress.stage === 'processing' || progress.stage === 'listing' ? Math.ceil(remaining / photosPerSecond) : 0;
  return { photosPerSecond, etaSeconds: isTerminal(progress.status) ? 0 : etaSeconds };
}
