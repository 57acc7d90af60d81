import { and, eq, inArray } from 'drizzle-orm';
import { concerts, duplicateGroups, festivalActs, festivals, photos, scans, sources } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';

const OWNED_TABLES = {
  source: sources,
  scan: scans,
  photo: photos,
  concert: concerts,
  duplicateGroup: duplicateGroups,
  festival: festivals,
  festivalAct: festivalActs,
} as const;

export type OwnedKind = keyof typeof OWNED_TABLES;

/** Ownership of rows, asked in bulk: the access module's only I/O. */
export class AccessRepository {
  constructor(private readonly db: Database) {}

  /** Which of these ids are rows of this kind that the user owns; read on the primary, since a user may act on a row created a moment ago. */
  async ownedIds(kind: OwnedKind, userId: number, ids: readonly number[]): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const table = OWNED_TABLES[kind];
    const rows = await this.db.$primary
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.userId, userId), inArray(table.id, [...ids])));
    return new Set(rows.map((row) => row.id));
  }
}
