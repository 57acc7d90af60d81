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
  /** Files the listing skipped because they are unchanged since they were last read (absent on scans from before it was counted). */
  unchanged: z.number().int().min(0).optional(),
});
export type ScanCounts = z.infer<typeof scanCountsSchema>;

export const SCAN_STAGES = ['queued', 'listing', 'processing', 'deduplicating', 'matching', 'done'] as const;
export type ScanStage = (typeof SCAN_STAGES)[number];

/** What the browser receives for a scan, live or finished. */
export const scanProgressSchema = z.object({
  scanId: z.number().int().positive(),
  status: scanStatusSchema,
  stage: z.enum(SCAN_STAGES),
  counts: scanCountsSchema,
  /** The evenings the scan found, and how many have been matched to a concert (or sent to review) so far. */
  events: z.object({ total: z.number().int().min(0), done: z.number().int().min(0) }),
  startedAt: z.number().nullable(),
  updatedAt: z.number(),
  /** Evenings wait for an outside service's quota (setlist.fm's daily budget) until this time (epoch ms); absent otherwise. */
  waiting: z
    .object({ service: z.literal('setlist.fm'), until: z.number() })
    .nullable()
    .optional(),
});
export type ScanProgress = z.infer<typeof scanProgressSchema>;
