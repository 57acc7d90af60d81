/**
 * "Which of these ids may this user touch?", answered in bulk, in one place. A
 * missing id and another user's id fail alike with NotFoundError, so ids reveal
 * nothing.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { concerts, duplicateGroups, photos, scans, sources } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import { NotFoundError } from '../errors.js';

const OWNED_TABLES = {
  source: { table: sources, label: 'Photo library' },
  scan: { table: scans, label: 'Scan' },
  photo: { table: photos, label: 'Photo' },
  concert: { table: concerts, label: 'Concert' },
  duplicateGroup: { table: duplicateGroups, label: 'Duplicate group' },
} as const;

export type OwnedKind = keyof typeof OWNED_TABLES;

export class AccessService {
  constructor(private readonly db: Database) {}

  async requireOwned(kind: OwnedKind, userId: number, ids: number | readonly number[]): Promise<void> {
    const wanted = [...new Set(typeof ids === 'number' ? [ids] : ids)];
    if (!wanted.length) return;
    const { table, label } = OWNED_TABLES[kind];
    // The primary: a user may act on a row created a moment ago.
    const rows = await this.db.$primary
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.userId, userId), inArray(table.id, wanted)));
    if (rows.length !== wanted.length) throw new NotFoundError(label);
  }
}
