import type { z } from 'zod';
import type { sendMailPayload } from '../../shared/jobs.js';
import { milestoneKey } from './milestones.js';

export type MailEvent = z.output<typeof sendMailPayload>;

/** The event a mail stands for, unique per user: the ledger's key and the job's dedup id. */
export function mailIdempotencyKey(event: Pick<MailEvent, 'kind'> & Partial<{ scanId: number; milestone: number; date: string }>): string {
  switch (event.kind) {
    case 'scan_finished':
      return `scan_finished:${event.scanId}`;
    case 'milestone':
      return milestoneKey(event.milestone!);
    case 'on_this_day':
      return `on_this_day:${event.date}`;
  }
}
