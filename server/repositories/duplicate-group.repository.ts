import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, ne, or, sql, type Column, type SQL } from 'drizzle-orm';
import { duplicateGroups, photos, users } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import { dedupColumns, type DedupPhoto } from './photo.repository.js';

export type DuplicateKind = (typeof duplicateGroups.$inferSelect)['kind'];

/** A group as the dedup stage plans with it; a resolved group is the user's decision and is never changed. */
export interface ExistingGroup {
  id: number;
  kind: DuplicateKind;
  primaryPhotoId: number | null;
  resolved: boolean;
}

/** The group a photo moves to: an existing one, or the n-th one the same write creates. */
export type GroupRef = { existing: number } | { created: number };

/**
 * Group changes written together, in one transaction, or not at all (see
 * server/services/dedup-plan.ts): groups to create, existing groups whose kind or
 * suggested best copy change, photos changing group, groups left empty.
 */
export interface DedupWrite {
  create: Array<{ kind: DuplicateKind; primaryPhotoId: number }>;
  update: Array<{ id: number; kind: DuplicateKind; primaryPhotoId: number }>;
  /** `from` is the group the photo's row holds now, checked as it is changed; `to` null to leave every group. */
  moves: Array<{ photoId: number; from: number | null; to: GroupRef | null }>;
  remove: number[];
  /** Existing groups the write changes: each must still exist, unresolved. */
  touched: number[];
}

/** The rows a dedup write was planned from have changed since (another writer, a resolve, a deletion): nothing was written. */
export class DedupConflictError extends Error {
  constructor(what: string) {
    super(`Duplicate groups changed while they were being planned: ${what}`);
    this.name = 'DedupConflictError';
  }
}

/** Rows named per statement in a dedup write: statements stay a few kilobytes, and a few per thousand photos. */
const ROWS_PER_STATEMENT = 500;

export class DuplicateGroupRepository {
  constructor(private readonly db: Database) {}

  /** What dedup compares, for every ready photo of the user still shown (one indexed read by user). */
  comparablePhotos(userId: number): Promise<DedupPhoto[]> {
    return this.db.$primary
      .select(dedupColumns)
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.status, 'ready'), eq(photos.hidden, false)));
  }

  /** Members of groups that comparablePhotos leaves out (hidden copies, a file that failed when read again). */
  otherGroupMembers(userId: number): Promise<DedupPhoto[]> {
    return this.db.$primary
      .select(dedupColumns)
      .from(photos)
      .where(and(eq(photos.userId, userId), isNotNull(photos.duplicateGroupId), or(ne(photos.status, 'ready'), eq(photos.hidden, true))));
  }

  async groupsOf(userId: number): Promise<ExistingGroup[]> {
    const rows = await this.db.$primary
      .select({
        id: duplicateGroups.id,
        kind: duplicateGroups.kind,
        primaryPhotoId: duplicateGroups.primaryPhotoId,
        resolvedAt: duplicateGroups.resolvedAt,
      })
      .from(duplicateGroups)
      .where(eq(duplicateGroups.userId, userId));
    return rows.map(({ resolvedAt, ...group }) => ({ ...group, resolved: resolvedAt !== null }));
  }

  async userExists(userId: number): Promise<boolean> {
    const [row] = await this.db.$primary.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1);
    return row !== undefined;
  }

  /**
   * Writes some units of the dedup plan in one transaction: a few statements, plus one
   * per 500 photos moved. 'gone', with nothing written, when the user row is gone; it is
   * share-locked first and the photos are locked as they change, so an account deletion
   * running meanwhile waits for this write and then deletes what it wrote.
   * DedupConflictError, with nothing written, when the rows are no longer as planned.
   */
  async applyDedupWrite(userId: number, write: DedupWrite): Promise<'written' | 'gone'> {
    return this.db.transaction(async (tx) => {
      const [owner] = (await tx.execute(sql`SELECT ${users.id} FROM ${users} WHERE ${users.id} = ${userId} LOCK IN SHARE MODE`)) as unknown as [
        unknown[],
      ];
      if (!owner.length) return 'gone';

      let createdIds: number[] = [];
      if (write.create.length) {
        const [inserted] = await tx.insert(duplicateGroups).values(write.create.map((group) => ({ userId, ...group })));
        // Each new group's best copy is a photo of that group alone: it names the row whatever ids the insert took.
        const rows = await tx
          .select({ id: duplicateGroups.id, primaryPhotoId: duplicateGroups.primaryPhotoId })
          .from(duplicateGroups)
          .where(
            and(
              eq(duplicateGroups.userId, userId),
              gte(duplicateGroups.id, inserted.insertId),
              inArray(
                duplicateGroups.primaryPhotoId,
                write.create.map((g) => g.primaryPhotoId),
              ),
            ),
          );
        const idOf = new Map(rows.map((row) => [row.primaryPhotoId, row.id]));
        if (rows.length !== write.create.length || idOf.size !== rows.length) throw new DedupConflictError('new groups could not be told apart');
        createdIds = write.create.map((group) => idOf.get(group.primaryPhotoId)!);
      }
      const idOfRef = (ref: GroupRef | null) => (ref === null ? null : 'existing' in ref ? ref.existing : createdIds[ref.created]!);

      for (let start = 0; start < write.moves.length; start += ROWS_PER_STATEMENT) {
        const moves = write.moves.slice(start, start + ROWS_PER_STATEMENT);
        const byPhoto = (value: (move: DedupWrite['moves'][number]) => number | null) =>
          caseOf(
            photos.id,
            moves.map((move) => [move.photoId, value(move)]),
          );
        const [result] = await tx
          .update(photos)
          .set({ duplicateGroupId: byPhoto((move) => idOfRef(move.to)) })
          .where(
            and(
              eq(photos.userId, userId),
              inArray(
                photos.id,
                moves.map((move) => move.photoId),
              ),
              sql`${photos.duplicateGroupId} <=> ${byPhoto((move) => move.from)}`,
            ),
          );
        if (result.affectedRows !== moves.length) throw new DedupConflictError(`${moves.length - result.affectedRows} photos changed or went`);
      }

      // After the photos, as resolve() locks them: the two wait for each other instead of deadlocking.
      if (write.touched.length) {
        const open = await tx
          .select({ id: duplicateGroups.id })
          .from(duplicateGroups)
          .where(and(eq(duplicateGroups.userId, userId), inArray(duplicateGroups.id, write.touched), isNull(duplicateGroups.resolvedAt)))
          .for('update');
        if (open.length !== write.touched.length) throw new DedupConflictError('a group was resolved or removed');
      }
      if (write.update.length) {
        await tx
          .update(duplicateGroups)
          .set({
            kind: caseOf(
              duplicateGroups.id,
              write.update.map((group) => [group.id, group.kind]),
            ),
            primaryPhotoId: caseOf(
              duplicateGroups.id,
              write.update.map((group) => [group.id, group.primaryPhotoId]),
            ),
          })
          .where(
            and(
              eq(duplicateGroups.userId, userId),
              inArray(
                duplicateGroups.id,
                write.update.map((group) => group.id),
              ),
            ),
          );
      }
      if (write.remove.length) {
        const [result] = await tx
          .delete(duplicateGroups)
          .where(
            and(
              eq(duplicateGroups.userId, userId),
              inArray(duplicateGroups.id, write.remove),
              isNull(duplicateGroups.resolvedAt),
              sql`NOT EXISTS (SELECT 1 FROM photos AS member WHERE member.user_id = ${userId} AND member.duplicate_group_id = duplicate_groups.id)`,
            ),
          );
        if (result.affectedRows !== write.remove.length) throw new DedupConflictError('a group to remove still has photos');
      }
      return 'written';
    });
  }

  membersOf(userId: number, groupId: number) {
    return this.db.$primary
      .select(dedupColumns)
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.duplicateGroupId, groupId)));
  }

  /** Photos of a scan that are extra copies (exact or near) of another photo. */
  async countExtraCopiesOfScan(userId: number, scanId: number): Promise<number> {
    const [row] = await this.db.$primary
      .select({ count: sql<number>`COUNT(*)`.mapWith(Number) })
      .from(photos)
      .innerJoin(duplicateGroups, and(eq(duplicateGroups.userId, photos.userId), eq(duplicateGroups.id, photos.duplicateGroupId)))
      .where(
        and(
          eq(photos.userId, userId),
          eq(photos.scanId, scanId),
          inArray(duplicateGroups.kind, ['exact', 'near']),
          or(isNull(duplicateGroups.primaryPhotoId), ne(duplicateGroups.primaryPhotoId, photos.id)),
        ),
      );
    return row?.count ?? 0;
  }

  listOpen(userId: number, limit: number) {
    return this.db
      .select({ id: duplicateGroups.id, kind: duplicateGroups.kind, primaryPhotoId: duplicateGroups.primaryPhotoId })
      .from(duplicateGroups)
      .where(and(eq(duplicateGroups.userId, userId), isNull(duplicateGroups.resolvedAt)))
      .orderBy(desc(duplicateGroups.id))
      .limit(limit);
  }

  photosOfGroups(userId: number, groupIds: number[]) {
    if (!groupIds.length) return Promise.resolve([]);
    return this.db
      .select({
        id: photos.id,
        groupId: photos.duplicateGroupId,
        fileName: photos.fileName,
        width: photos.width,
        height: photos.height,
        byteSize: photos.byteSize,
        takenAt: photos.takenAt,
        timeZone: photos.timeZone,
        thumbnailKey: photos.thumbnailKey,
        variantsKey: photos.variantsKey,
        blurPlaceholder: photos.blurPlaceholder,
        hidden: photos.hidden,
      })
      .from(photos)
      .where(and(eq(photos.userId, userId), inArray(photos.duplicateGroupId, groupIds)))
      .orderBy(asc(photos.takenAt), asc(photos.id));
  }

  /** Keeps one photo: the others are hidden (never deleted) and the group is closed. */
  async resolve(userId: number, groupId: number, keepPhotoId: number) {
    await this.db.transaction(async (tx) => {
      await tx
        .update(photos)
        .set({ hidden: sql`${photos.id} <> ${keepPhotoId}` })
        .where(and(eq(photos.userId, userId), eq(photos.duplicateGroupId, groupId)));
      await tx
        .update(duplicateGroups)
        .set({ primaryPhotoId: keepPhotoId, resolvedAt: new Date() })
        .where(and(eq(duplicateGroups.userId, userId), eq(duplicateGroups.id, groupId)));
    });
  }

  // The user's decisions, for review and undo: photos first, then the group, in one transaction, as resolve() does.

  /** "These are not duplicates": every photo shown, the group closed as it is (a later scan leaves it alone). */
  async keepAll(userId: number, groupId: number) {
    await this.db.transaction(async (tx) => {
      await tx
        .update(photos)
        .set({ hidden: false })
        .where(and(eq(photos.userId, userId), eq(photos.duplicateGroupId, groupId)));
      await tx
        .update(duplicateGroups)
        .set({ resolvedAt: new Date() })
        .where(and(eq(duplicateGroups.userId, userId), eq(duplicateGroups.id, groupId)));
    });
  }

  /** Undoes a decision: every photo shown again and the group back among those to review. A group still open stays as it is. */
  async reopen(userId: number, groupId: number) {
    // No photo of an open group is hidden (only a decision hides), so both statements are no-ops on one.
    await this.db.transaction(async (tx) => {
      await tx
        .update(photos)
        .set({ hidden: false })
        .where(and(eq(photos.userId, userId), eq(photos.duplicateGroupId, groupId)));
      await tx
        .update(duplicateGroups)
        .set({ resolvedAt: null })
        .where(and(eq(duplicateGroups.userId, userId), eq(duplicateGroups.id, groupId)));
    });
  }

  /** Decided groups, the latest decision first. */
  listDecided(userId: number, limit: number) {
    return this.db
      .select({
        id: duplicateGroups.id,
        kind: duplicateGroups.kind,
        primaryPhotoId: duplicateGroups.primaryPhotoId,
        resolvedAt: duplicateGroups.resolvedAt,
      })
      .from(duplicateGroups)
      .where(and(eq(duplicateGroups.userId, userId), isNotNull(duplicateGroups.resolvedAt)))
      .orderBy(desc(duplicateGroups.resolvedAt), desc(duplicateGroups.id))
      .limit(limit);
  }
}

/** `CASE key WHEN k1 THEN v1 … END`: one statement sets a different value on each row. */
function caseOf(key: Column, values: ReadonlyArray<readonly [number, number | string | null]>): SQL {
  return sql`CASE ${key} ${sql.join(
    values.map(([k, v]) => sql`WHEN ${k} THEN ${v}`),
    sql` `,
  )} END`;
}
