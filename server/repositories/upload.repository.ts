import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { uploads } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';

export type NewUpload = Omit<typeof uploads.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export class UploadRepository {
  constructor(private readonly db: Database) {}

  async insert(upload: NewUpload): Promise<number> {
    const [result] = await this.db.insert(uploads).values(upload);
    return result.insertId;
  }

  /** Bytes of every upload of the user's: what counts against UPLOAD_QUOTA_MB. From the primary: the last upload may be a moment old. */
  async totalBytes(userId: number): Promise<number> {
    const [row] = await this.db.$primary
      .select({ bytes: sql<string | number | null>`sum(${uploads.byteSize})` })
      .from(uploads)
      .where(eq(uploads.userId, userId));
    return Number(row?.bytes ?? 0);
  }

  async delete(userId: number, id: number): Promise<void> {
    await this.db.$primary.delete(uploads).where(and(eq(uploads.userId, userId), eq(uploads.id, id)));
  }

  /** Keyset pagination: the listing never holds more than one page. */
  page(userId: number, sourceId: number, afterId: number, limit: number) {
    return this.db.$primary
      .select()
      .from(uploads)
      .where(and(eq(uploads.userId, userId), eq(uploads.sourceId, sourceId), gt(uploads.id, afterId)))
      .orderBy(asc(uploads.id))
      .limit(limit);
  }

  async find(userId: number, sourceId: number, id: number) {
    const [row] = await this.db.$primary
      .select()
      .from(uploads)
      .where(and(eq(uploads.userId, userId), eq(uploads.sourceId, sourceId), eq(uploads.id, id)))
      .limit(1);
    return row ?? null;
  }
}
