import { describe, expect, it } from 'vitest';
import { AccessTokenCache } from './access-token-cache.js';

/** A cache whose refreshes are counted; tokens live an hour of the test's own clock. */
function cache(maxEntries = 10) {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const refreshes: string[] = [];
  const tokens = new AccessTokenCache({
    refresh: async (refreshToken) => {
      refreshes.push(refreshToken);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { accessToken: `${refreshToken}#${refreshes.length}`, expiresAt: new Date(clock + 3_600_000) };
    },
    expiryMarginMs: 60_000,
    maxEntries,
    now: () => clock,
  });
  const advance = (ms: number) => {
    clock += ms;
  };
  return { tokens, refreshes, advance };
}

describe('AccessTokenCache', () => {
  it('refreshes once for many concurrent requests of one grant, and reuses the token', async () => {
    const { tokens, refreshes } = cache();
    const got = await Promise.all([tokens.get('grant-a'), tokens.get('grant-a'), tokens.get('grant-a')]);
    expect(new Set(got)).toEqual(new Set(['grant-a#1']));
    expect(await tokens.get('grant-a')).toBe('grant-a#1');
    expect(refreshes).toEqual(['grant-a']);
  });

  it('refreshes shortly before the expiry Google announced, and when Google rejected the token', async () => {
    const { tokens, refreshes, advance } = cache();
    const first = await tokens.get('grant-a');
    advance(3_600_000 - 59_000);
    const second = await tokens.get('grant-a');
    expect(second).not.toBe(first);
    expect(await tokens.get('grant-a', { rejectedToken: second })).not.toBe(second);
    expect(refreshes).toHaveLength(3);
  });

  it('keeps at most maxEntries grants, dropping the least recently used', async () => {
    const { tokens, refreshes } = cache(2);
    await tokens.get('a');
    await tokens.get('b');
    await tokens.get('a');
    await tokens.get('c');
    await tokens.get('a');
    expect(refreshes).toEqual(['a', 'b', 'c']);
    await tokens.get('b');
    expect(refreshes).toEqual(['a', 'b', 'c', 'b']);
  });

  it('hands out a token obtained by the code exchange without refreshing', async () => {
    const { tokens, refreshes } = cache();
    tokens.remember('grant-a', { accessToken: 'from-exchange', expiresAt: new Date(Date.parse('2026-01-01T01:00:00Z')) });
    expect(await tokens.get('grant-a')).toBe('from-exchange');
    expect(refreshes).toEqual([]);
  });
});
