import { createHash } from 'node:crypto';
import { sources } from '../../drizzle/schema/index.js';

export const RESCAN_SCHEDULES = sources.rescanSchedule.enumValues;
export type RescanSchedule = (typeof RESCAN_SCHEDULES)[number];

/**
 * The cron pattern (UTC) of a source's rescans. The minute, hour and weekday come
 * from a hash of the source, so a million daily schedules spread over the small
 * hours instead of all firing at 03:00, and every server computes the same pattern
 * for one source (upserting it twice changes nothing).
 */
export function rescanPattern(schedule: Exclude<RescanSchedule, 'off'>, userId: number, sourceId: number): string {
  const hash = createHash('sha256').update(`${userId}/${sourceId}`).digest();
  const minute = hash.readUInt16BE(0) % 60;
  // 01:00–05:59 UTC: night in Europe and Africa, evening in the Americas, when few people scan by hand.
  const hour = 1 + (hash.readUInt16BE(2) % 5);
  const weekday = hash.readUInt16BE(4) % 7;
  return schedule === 'daily' ? `${minute} ${hour} * * *` : `${minute} ${hour} * * ${weekday}`;
}
