import { and, asc, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { duplicateGroups, photos } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';
import { dedupColumns, type DedupPhoto } from './photo.repository.js';

export type DuplicateKind = (typeof duplicateGroups.$inferSelect)['kind'];

export class DuplicateGroupRepository {
  constructor(private readonly db: Database) {}

  /** What dedup compares, for every ready photo of the user still shown (one indexed read by user). */
  comparablePhotos(userId: number): Promise<DedupPhoto[]> {
    return this.db.$primary
      .select(dedupColumns)
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.status, 'ready'), eq(photos.hidden, false)));
  }

  async kindsOf(userId: number, groupIds: number[]): Promise<Map<number, DuplicateKind>> {
    if (!groupIds.length) return new Map();
    const rows = await this.db.$primary
      .select({ id: duplicateGroups.id, kind: duplicateGroups.kind })
      .from(duplicateGroups)
      .where(and(eq(duplicateGroups.userId, userId), inArray(duplicateGroups.id, groupIds)));
    return new Map(rows.map((row) => [row.id, row.kind]));
  }

  async create(userId: number, kind: DuplicateKind): Promise<number> {
    const [result] = await this.db.insert(duplicateGroups).values({ userId, kind });
    return result.insertId;
  }

  /** Moves the members of `others` into `target`, drops the emptied groups, and sets the target's kind. */
  async mergeInto(userId: number, target: number, others: number[], kind: DuplicateKind) {
    await this.db.transaction(async (tx) => {
      if (others.length) {
        await tx
          .update(photos)
          .set({ duplicateGroupId: target })
          .where(and(eq(photos.userId, userId), inArray(photos.duplicateGroupId, others)));
        await tx.delete(duplicateGroups).where(and(eq(duplicateGroups.userId, userId), inArray(duplicateGroups.id, others)));
      }
      await tx.update(duplicateGroups).set({ kind }).where(and(eq(duplicateGroups.userId, userId), eq(duplicateGroups.id, target)));
    });
  }

  /** Puts photos in a group: those in no group, and those in one of `takeFrom` (groups of a weaker relation). */
  async assign(userId: number, groupId: number, photoIds: number[], takeFrom: number[] = []) {
    if (!photoIds.length) return;
    const movable = takeFrom.length ? or(isNull(photos.duplicateGroupId), inArray(photos.duplicateGroupId, takeFrom)) : isNull(photos.duplicateGroupId);
    await this.db
      .update(photos)
      .set({ duplicateGroupId: groupId })
      .where(and(eq(photos.userId, userId), inArray(photos.id, photoIds), movable));
  }

  /** A group left with fewer than two photos is no group: its last photo is released and the group removed. */
  async dissolveIfSingle(userId: number, groupId: number): Promise<boolean> {
    const members = await this.membersOf(userId, groupId);
    if (members.length >= 2) return false;
    await this.db.transaction(async (tx) => {
      await tx
        .update(photos)
        .set({ duplicateGroupId: null })
        .where(and(eq(photos.userId, userId), eq(photos.duplicateGroupId, groupId)));
      await tx.delete(duplicateGroups).where(and(eq(duplicateGroups.userId, userId), eq(duplicateGroups.id, groupId)));
    });
    return true;
  }

  membersOf(userId: number, groupId: number) {
    return this.db.$primary
      .select(dedupColumns)
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.duplicateGroupId, groupId)));
  }

  async setPrimary(userId: number, groupId: number, photoId: number) {
    await this.db
      .update(duplicateGroups)
      .set({ primaryPhotoId: photoId })
      .where(and(eq(duplicateGroups.userId, userId), eq(duplicateGroups.id, groupId)));
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
        id: photos.id, groupId: photos.duplicateGroupId, fileName: photos.fileName, width: photos.width, height: photos.height,
        byteSize: photos.byteSize, takenAt: photos.takenAt, timeZone: photos.timeZone, thumbnailKey: photos.thumbnailKey,
        variantsKey: photos.variantsKey, blurPlaceholder: photos.blurPlaceholder, hidden: photos.hidden,
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
}
