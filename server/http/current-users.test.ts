import { describe, expect, it } from 'vitest';
import type { UserSummary } from '../repositories/user.repository.js';
import { CurrentUsers } from './current-users.js';

const ada: UserSummary = { id: 1, email: 'ada@example.test', name: 'Ada', role: 'admin' };

function setup(options: { maxEntries?: number } = {}) {
  const rows = new Map<number, UserSummary>([[1, ada]]);
  const reads: number[] = [];
  let clock = 0;
  const users = {
    async findSummaryById(id: number) {
      reads.push(id);
      return rows.get(id) ?? null;
    },
  };
  const current = new CurrentUsers(users, { ttlMs: 5_000, now: () => clock, ...options });
  return { current, rows, reads, advance: (ms: number) => (clock += ms) };
}

describe('CurrentUsers', () => {
  it('reads a user once per few seconds, then sees a demotion or a deletion', async () => {
    const { current, rows, reads, advance } = setup();
    expect(await current.get(1)).toEqual(ada);
    rows.set(1, { ...ada, role: 'user' });
    advance(4_999);
    expect((await current.get(1))?.role).toBe('admin');
    advance(1);
    expect((await current.get(1))?.role).toBe('user');
    rows.delete(1);
    advance(5_000);
    expect(await current.get(1)).toBeNull();
    expect(reads).toEqual([1, 1, 1]);
  });

  it('shares one read between concurrent requests of a user', async () => {
    const { current, reads } = setup();
    await Promise.all([current.get(1), current.get(1), current.get(1)]);
    expect(reads).toEqual([1]);
  });

  it('serves what login just read instead of an older cached state', async () => {
    const { current, rows } = setup();
    await current.get(1);
    rows.set(1, { ...ada, role: 'user' });
    current.remember({ ...ada, role: 'user' });
    expect((await current.get(1))?.role).toBe('user');
  });

  it('keeps at most maxEntries users, dropping the oldest', async () => {
    const { current, reads } = setup({ maxEntries: 2 });
    await current.get(1);
    await current.get(2);
    await current.get(3);
    await current.get(1);
    expect(reads).toEqual([1, 2, 3, 1]);
  });
});
