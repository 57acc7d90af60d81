/** The events a mail stands for, and the key that makes each one unique per user (the mail ledger's key, the job's id). */
export type MailEventKind = 'scan_finished' | 'milestone' | 'on_this_day';

export function milestoneKey(milestone: number): string {
  return `milestone:${milestone}`;
}

export function mailEventKey(event: { kind: MailEventKind; scanId?: number; milestone?: number; date?: string }): string {
  switch (event.kind) {
    case 'scan_finished':
      return `scan_finished:${event.scanId}`;
    case 'milestone':
      return milestoneKey(event.milestone!);
    case 'on_this_day':
      return `on_this_day:${event.date}`;
  }
}
