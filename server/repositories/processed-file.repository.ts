import { and, eq, inArray, sql } from 'drizzle-orm';
import { processedFiles } from '../../drizzle/schema/index.js';
import type { Database } from '../db/client.js';

export class ProcessedFileRepository {
  constructor(private readonly db: Database) {}

  /** The fingerprint last processed for each of these files (one query per listing page). */
  async fingerprintsOf(userId: number, sourceId: number, fileIds: string[]): Promise<Map<string, string>> {
    if (!fileIds.length) return new Map();
    const rows = await this.db.$primary
      .select({ fileId: processedFiles.fileId, fingerprint: processedFiles.fingerprint })
      .from(processedFiles)
      .where(and(eq(processedFiles.userId, userId), eq(processedFiles.sourceId, sourceId), inArray(processedFiles.fileId, fileIds)));
    return new Map(rows.map((row) => [row.fileId, row.fingerprint]));
  }

  async record(entry: typeof processedFiles.$inferInsert) {
    await this.db
      .insert(processedFiles)
      .values(entry)
      .onDuplicateKeyUpdate({
        set: {
          fingerprint: sql`VALUES(${processedFiles.fingerprint})`,
          outcome: sql`VALUES(${processedFiles.outcome})`,
          photoId: sql`VALUES(${processedFiles.photoId})`,
          processedAt: sql`VALUES(${processedFiles.processedAt})`,
        },
      });
  }

  async forget(userId: number, sourceId: number, fileIds: string[]) {
    if (!fileIds.length) return;
    await this.db
      .delete(processedFiles)
      .where(and(eq(processedFiles.userId, userId), eq(processedFiles.sourceId, sourceId), inArray(processedFiles.fileId, fileIds)));
  }
}
