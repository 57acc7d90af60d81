import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../errors.js';
import type { OwnedKind } from '../repositories/access.repository.js';
import { AccessService } from './access.js';

/** Ownership in memory: user 1 owns concerts 10 and 11, user 2 owns concert 20. */
function access() {
  const owned: Record<number, number[]> = { 1: [10, 11], 2: [20] };
  const asked: Array<{ kind: OwnedKind; userId: number; ids: readonly number[] }> = [];
  const service = new AccessService({
    ownedIds: async (kind, userId, ids) => {
      asked.push({ kind, userId, ids });
      return new Set(ids.filter((id) => owned[userId]?.includes(id)));
    },
  });
  return { service, asked };
}

describe('AccessService', () => {
  it('lets a user touch their own rows, asking for all of them at once', async () => {
    const { service, asked } = access();
    await service.requireOwned('concert', 1, [10, 11, 10]);
    expect(asked).toEqual([{ kind: 'concert', userId: 1, ids: [10, 11] }]);
  });

  it("fails alike for another user's id and a missing one, with one not-found error", async () => {
    const { service } = access();
    await expect(service.requireOwned('concert', 1, [10, 20])).rejects.toThrow(NotFoundError);
    await expect(service.requireOwned('concert', 1, [10, 999])).rejects.toThrow(new NotFoundError('Concert'));
    await expect(service.requireOwned('duplicateGroup', 1, 20)).rejects.toThrow(new NotFoundError('Duplicate group'));
  });

  it('asks nothing for no ids', async () => {
    const { service, asked } = access();
    await service.requireOwned('photo', 1, []);
    expect(asked).toEqual([]);
  });
});
