import { createHash } from 'node:crypto';

/**
 * The one place job ids are made. Deterministic, so adding a job twice is a no-op
 * in BullMQ; never containing ':' (BullMQ's key separator) and never all digits
 * (BullMQ's own ids).
 */
function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
}

export const jobIds = {
  scanSource: (scanId: number) => `scan-${scanId}`,
  /** One ingest per file per scan; a retry of failed files gets a new round number. */
  ingestPhoto: (scanId: number, fileId: string, round = 0) =>
    `ingest-${scanId}-${digest(fileId)}${round ? `-r${round}` : ''}`,
  dedupScan: (scanId: number) => `dedup-${scanId}`,
  groupEvents: (scanId: number) => `events-${scanId}`,
  detectVenue: (scanId: number, eventKey: string) => `venue-${scanId}-${digest(eventKey)}`,
  matchConcert: (scanId: number, eventKey: string) => `match-${scanId}-${digest(eventKey)}`,
  renderVariants: (userId: number, photoId: number) => `variants-${userId}-${photoId}`,
  buildExport: (exportId: number) => `export-${exportId}`,
  expireExport: (exportId: number) => `export-expiry-${exportId}`,
  /** Job scheduler ids: one scheduler per source, so two servers setting a schedule upsert the same one. */
  rescanScheduler: (userId: number, sourceId: number) => `rescan-${userId}-${sourceId}`,
  onThisDaySweepScheduler: () => 'on-this-day-sweep',
  scanFinishedMail: (scanId: number) => `scan-mail-${scanId}`,
  /** One job per mail event (the database's idempotency key is the real guard; this saves the duplicate job). */
  sendMail: (userId: number, idempotencyKey: string) => `mail-${userId}-${digest(idempotencyKey)}`,
};

/** The scheduler id's parts, or null for a scheduler that is not a source's rescan. */
export function parseRescanSchedulerId(id: string): { userId: number; sourceId: number } | null {
  const match = /^rescan-(\d+)-(\d+)$/.exec(id);
  return match ? { userId: Number(match[1]), sourceId: Number(match[2]) } : null;
}
