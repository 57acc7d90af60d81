import type { JobPayload } from '../../shared/jobs.js';
import { exportContentType } from '../exports/export-files.js';
import { writeConcertBook, writeRowFile, type HistoryPages, type StarredPhotos } from '../exports/history-files.js';
import { findBookFonts, type BookFonts } from '../exports/pdf-fonts.js';
import { putStreamed } from '../exports/streamed-object.js';
import type { Logger } from '../logger.js';
import type { JobSender } from '../queue/queues.js';
import type { ExportRepository } from '../repositories/export.repository.js';
import type { HistoryExportRepository } from '../repositories/history-export.repository.js';
import { storageKeys } from '../storage/storage-keys.js';
import type { ObjectStorage } from '../storage/storage.js';
import { EXPORT_RETENTION_MS } from './history-export.service.js';

export type BuildExportPayload = JobPayload<'build-export'>;
export type ExpireExportPayload = JobPayload<'expire-export'>;

/** The progress bar moves every this many concerts: a row update per 50 concerts, not per concert. */
export const EXPORT_PROGRESS_EVERY = 50;

/**
 * The `export` queue's work: builds an export's file page by page of the history
 * straight into storage (never the whole history, nor the whole file, in memory),
 * keeping the row's progress, and deletes the file when its retention is over.
 * A retry starts the file again from the top; once the job has failed for good
 * (worker/handlers.ts) `recordFailure` puts its reason in the row for the user.
 */
export class HistoryExportBuilder {
  private fonts: BookFonts | null = null;

  constructor(
    private readonly exportRows: HistoryExportRepository,
    private readonly history: HistoryPages,
    private readonly reads: Pick<ExportRepository, 'count'> & StarredPhotos,
    private readonly storage: ObjectStorage,
    private readonly jobs: JobSender,
    private readonly findFonts: () => BookFonts = findBookFonts,
  ) {}

  async build({ exportId, userId }: BuildExportPayload, logger: Logger) {
    const row = await this.exportRows.find(userId, exportId);
    // The account was deleted, or a duplicate delivery of a job whose export is already settled.
    if (!row) return { outcome: 'gone' as const };
    if (row.status !== 'queued' && row.status !== 'running') return { outcome: row.status };
    const total = await this.reads.count(userId);
    if (!(await this.exportRows.markRunning(userId, exportId, total))) return { outcome: 'gone' as const };

    const key = storageKeys.exportFile(userId, exportId, row.format);
    let saved = 0;
    const onWritten = async (written: number) => {
      if (written - saved < EXPORT_PROGRESS_EVERY) return;
      saved = written;
      await this.exportRows.saveProgress(userId, exportId, written);
    };
    let written = 0;
    const { byteSize } = await putStreamed(this.storage, key, exportContentType(row.format), async (sink) => {
      written =
        row.format === 'pdf'
          ? await writeConcertBook(
              { history: this.history, photos: this.reads, storage: this.storage, fonts: this.bookFonts(), userId, total, createdAt: row.createdAt },
              sink,
              onWritten,
            )
          : await writeRowFile(this.history, userId, row.format, sink, onWritten);
    });
    // Scheduled before the row says "completed": a crash in between leaves a retry, never a file kept for ever.
    await this.jobs.add('expire-export', { exportId, userId }, { delayMs: EXPORT_RETENTION_MS });
    if (!(await this.exportRows.complete(userId, exportId, { storageKey: key, byteSize, done: written }))) {
      await this.storage.delete(key);
      return { outcome: 'gone' as const };
    }
    logger.info({ exportId, format: row.format, concerts: written, byteSize }, 'export built');
    return { outcome: 'completed' as const, concerts: written, byteSize };
  }

  /** The export failed for good: the user sees why. */
  async recordFailure({ exportId, userId }: Pick<BuildExportPayload, 'exportId' | 'userId'>, reason: string) {
    await this.exportRows.fail(userId, exportId, `The export could not be built: ${reason}`);
  }

  /** Retention is over: the file goes, the row stays (as "expired"). */
  async expire({ exportId, userId }: ExpireExportPayload, logger: Logger) {
    const row = await this.exportRows.find(userId, exportId);
    if (!row?.storageKey) return { outcome: 'gone' as const };
    await this.storage.delete(row.storageKey);
    await this.exportRows.forgetFile(userId, exportId);
    logger.info({ exportId }, 'export expired');
    return { outcome: 'expired' as const };
  }

  private bookFonts(): BookFonts {
    this.fonts ??= this.findFonts();
    return this.fonts;
  }
}
