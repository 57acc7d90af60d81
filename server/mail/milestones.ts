/**
 * The concert counts worth a mail: 10, 25, 50, 100, 250, 500, 1000, 2500… (1, 2.5
 * and 5 times each power of ten, from 10 on). The one place the sequence lives.
 */
export function isMilestone(count: number): boolean {
  if (!Number.isInteger(count) || count < 10) return false;
  const power = 10 ** Math.floor(Math.log10(count));
  return count === power || count === power * 2.5 || count === power * 5;
}

/** The largest milestone at or below `count`, or null below the first. */
export function highestMilestone(count: number): number | null {
  if (count < 10) return null;
  const power = 10 ** Math.floor(Math.log10(count));
  for (const step of [5, 2.5, 1]) if (power * step <= count) return power * step;
  return null;
}

export { milestoneKey } from '../../shared/mail-events.js';

export function milestoneOfKey(key: string): number | null {
  const match = /^milestone:(\d+)$/.exec(key);
  return match ? Number(match[1]) : null;
}

/** "10th", "25th", "1,000th". */
export function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n.toLocaleString('en-US')}${suffix}`;
}
