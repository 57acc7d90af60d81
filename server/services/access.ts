/**
 * "Which of these ids may this user touch?", answered in bulk, in one place. A
 * missing id and another user's id fail alike with NotFoundError, so ids reveal
 * nothing.
 */
import { NotFoundError } from '../errors.js';
import type { AccessRepository, OwnedKind } from '../repositories/access.repository.js';

export type { OwnedKind } from '../repositories/access.repository.js';

const LABELS: Record<OwnedKind, string> = {
  source: 'Photo library',
  scan: 'Scan',
  photo: 'Photo',
  concert: 'Concert',
  duplicateGroup: 'Duplicate group',
  festival: 'Festival',
  festivalAct: 'Festival act',
};

export class AccessService {
  constructor(private readonly ownership: Pick<AccessRepository, 'ownedIds'>) {}

  async requireOwned(kind: OwnedKind, userId: number, ids: number | readonly number[]): Promise<void> {
    const wanted = [...new Set(typeof ids === 'number' ? [ids] : ids)];
    if (!wanted.length) return;
    const owned = await this.ownership.ownedIds(kind, userId, wanted);
    if (wanted.some((id) => !owned.has(id))) throw new NotFoundError(LABELS[kind]);
  }
}
