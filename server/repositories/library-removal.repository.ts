import { and, asc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import { concerts, duplicateGroups, photos, processedFiles, scans, uploads } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';

/** Rows read or deleted per statement: a big library goes in short statements, never one long lock. */
const BATCH = 1_000;

export interface RemovedPhoto {
  id: number;
  concertId: number | null;
  duplicateGroupId: number | null;
  thumbnailKey: string | null;
  variantsKey: string | null;
}

/**
 * What removing one library deletes, besides its row: its photos (and what they were part of: concerts and
 * duplicate groups left without them), its scans, its sync state and its uploads' records. Every statement
 * names the user: a library is always one user's.
 */
export class LibraryRemovalRepository {
  constructor(private readonly db: Database) {}

  async activeScanIds(userId: number, sourceId: number): Promise<number[]> {
    const rows = await this.db.$primary
      .select({ id: scans.id })
      .from(scans)
      .where(and(eq(scans.userId, userId), eq(scans.sourceId, sourceId), inArray(scans.status, ['queued', 'running'])));
    return rows.map((row) => row.id);
  }

  /** The library's photos after `afterId`, a batch at a time, with what deleting them touches. */
  photosPage(userId: number, sourceId: number, afterId: number): Promise<RemovedPhoto[]> {
    return this.db.$primary
      .select({
        id: photos.id,
        concertId: photos.concertId,
        duplicateGroupId: photos.duplicateGroupId,
        thumbnailKey: photos.thumbnailKey,
        variantsKey: photos.variantsKey,
      })
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.sourceId, sourceId), gt(photos.id, afterId)))
      .orderBy(asc(photos.id))
      .limit(BATCH);
  }

  async deletePhotos(userId: number, ids: readonly number[]): Promise<number> {
    if (!ids.length) return 0;
    const [result] = await this.db.$primary.delete(photos).where(and(eq(photos.userId, userId), inArray(photos.id, [...ids])));
    return result.affectedRows;
  }

  /** Which of these storage keys (thumbnails, variant prefixes) photos of the user still name: identical files share them. */
  async keysStillUsed(userId: number, keys: readonly string[]): Promise<Set<string>> {
    const used = new Set<string>();
    for (let i = 0; i < keys.length; i += BATCH) {
      const batch = keys.slice(i, i + BATCH);
      const [thumbnails, variants] = await Promise.all([
        this.db.$primary
          .selectDistinct({ key: photos.thumbnailKey })
          .from(photos)
          .where(and(eq(photos.userId, userId), inArray(photos.thumbnailKey, batch))),
        this.db.$primary
          .selectDistinct({ key: photos.variantsKey })
          .from(photos)
          .where(and(eq(photos.userId, userId), inArray(photos.variantsKey, batch))),
      ]);
      for (const row of [...thumbnails, ...variants]) if (row.key) used.add(row.key);
    }
    return used;
  }

  /** Concerts among these that no photo is in any more (they were found in the removed library's photos alone) go too. */
  async deleteConcertsLeftEmpty(userId: number, concertIds: readonly number[]): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < concertIds.length; i += BATCH) {
      const [result] = await this.db.$primary.delete(concerts).where(
        and(
          eq(concerts.userId, userId),
          inArray(concerts.id, concertIds.slice(i, i + BATCH)),
          // Spelled out: drizzle writes a column without its table here, which the subquery would read as its own.
          sql`NOT EXISTS (SELECT 1 FROM photos AS member WHERE member.user_id = ${userId} AND member.concert_id = concerts.id)`,
        ),
      );
      deleted += result.affectedRows;
    }
    return deleted;
  }

  /**
   * Duplicate groups that lost members: a group of one is no group (its photo is shown again and leaves it); a
   * decided group whose kept photo was removed is open again, its photos shown, for the user to choose anew.
   */
  async settleGroups(userId: number, groupIds: readonly number[]): Promise<void> {
    for (const groupId of groupIds) {
      await this.db.transaction(async (tx) => {
        const members = await tx
          .select({ id: photos.id })
          .from(photos)
          .where(and(eq(photos.userId, userId), eq(photos.duplicateGroupId, groupId)))
          .for('update');
        const [group] = await tx
          .select({ primaryPhotoId: duplicateGroups.primaryPhotoId, resolvedAt: duplicateGroups.resolvedAt })
          .from(duplicateGroups)
          .where(and(eq(duplicateGroups.userId, userId), eq(duplicateGroups.id, groupId)))
          .for('update');
        if (!group) return;
        if (members.length < 2) {
          await tx
            .update(photos)
            .set({ duplicateGroupId: null, hidden: false })
            .where(and(eq(photos.userId, userId), eq(photos.duplicateGroupId, groupId)));
          await tx.delete(duplicateGroups).where(and(eq(duplicateGroups.userId, userId), eq(duplicateGroups.id, groupId)));
          return;
        }
        if (group.primaryPhotoId === null || !members.some((member) => member.id === group.primaryPhotoId)) {
          await tx
            .update(photos)
            .set({ hidden: false })
            .where(and(eq(photos.userId, userId), eq(photos.duplicateGroupId, groupId)));
          await tx
            .update(duplicateGroups)
            .set({ primaryPhotoId: members[0]!.id, resolvedAt: null })
            .where(and(eq(duplicateGroups.userId, userId), eq(duplicateGroups.id, groupId)));
        }
      });
    }
  }

  /** The library's sync state, scans and upload records; the upload bytes are the caller's to delete from storage. */
  async deleteLibraryRecords(userId: number, sourceId: number): Promise<{ scans: number; uploads: number }> {
    const deleteAll = async (run: () => Promise<number>) => {
      let total = 0;
      for (;;) {
        const affected = await run();
        total += affected;
        if (affected < BATCH) return total;
      }
    };
    await deleteAll(async () => {
      const [result] = await this.db.$primary
        .delete(processedFiles)
        .where(and(eq(processedFiles.userId, userId), eq(processedFiles.sourceId, sourceId)))
        .limit(BATCH);
      return result.affectedRows;
    });
    const uploadRows = await deleteAll(async () => {
      const [result] = await this.db.$primary
        .delete(uploads)
        .where(and(eq(uploads.userId, userId), eq(uploads.sourceId, sourceId)))
        .limit(BATCH);
      return result.affectedRows;
    });
    // Only finished scans: one still active at this point belongs to a concurrent start, refused by the deleted row.
    const scanRows = await deleteAll(async () => {
      const [result] = await this.db.$primary
        .delete(scans)
        .where(and(eq(scans.userId, userId), eq(scans.sourceId, sourceId), isNull(scans.activeSourceId), ne(scans.status, 'running')))
        .limit(BATCH);
      return result.affectedRows;
    });
    return { scans: scanRows, uploads: uploadRows };
  }
}
