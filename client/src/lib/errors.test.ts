import { describe, expect, it } from 'vitest';
import { limitMessage, whenInWords } from './errors.js';

const NOW = new Date(2026, 10, 20, 14, 0, 0).getTime();
const time = (date: Date) => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(date);

describe('rate limits in words', () => {
  it('says what was limited and when the user may again, as a time of their own day', () => {
    expect(limitMessage('You can start 5 scans an hour; try again in 2289 s', 2289, 'scans.start', NOW)).toBe(
      `You can start 5 scans an hour. You can start another scan at ${time(new Date(NOW + 2_289_000))}.`,
    );
  });

  it('words short waits in seconds and long ones with the day', () => {
    expect(whenInWords(4, NOW)).toBe('in a few seconds');
    expect(whenInWords(42, NOW)).toBe('in 45 seconds');
    expect(whenInWords(11 * 3600, NOW)).toBe(`tomorrow at ${time(new Date(NOW + 11 * 3_600_000))}`);
    expect(whenInWords(null, NOW)).toBe('a little later');
  });

  it('falls back to "try again" for a procedure it does not name', () => {
    expect(limitMessage('Too many requests; try again in 40 s', 40, 'concerts.list', NOW)).toBe(
      'Too many requests. You can try again in 40 seconds.',
    );
    expect(limitMessage('Too many failed logins to this account; try again in 600 s', 600, 'auth.login', NOW)).toMatch(
      /^Too many failed logins to this account\. You can try to log in again at .+\.$/,
    );
  });
});
