import { HISTORY_EXPORT_RETENTION_DAYS, type HistoryExportFormat, type HistoryExportStatus } from '../../shared/export.js';
import { NotFoundError } from '../errors.js';
import { exportFileName } from '../exports/export-files.js';
import type { MediaUrls } from '../media/media-urls.js';
import type { JobSender } from '../queue/job-sender.js';
import type { HistoryExportRecord, HistoryExportRepository } from '../repositories/history-export.repository.js';

/** A finished export's file is kept this long (an `expire-export` job then deletes it), and offered only until then. */
export const EXPORT_RETENTION_MS = HISTORY_EXPORT_RETENTION_DAYS * 24 * 3600 * 1000;

/**
 * A download link works for an hour at most (less when media URLs are set shorter):
 * the settings view asks for a fresh one each time it shows the export, and a link
 * copied somewhere else soon stops working.
 */
export const EXPORT_LINK_TTL_SECONDS = 3600;

export type HistoryExportView = ReturnType<HistoryExportService['present']>;

/**
 * The web side of background exports (`exports.*`): start one, see how far it got,
 * and get its signed download link. The files are built by the `export` queue's
 * worker (history-export-builder.service.ts).
 *
 * One export of a format at a time: starting one while another of the same format
 * is queued or running answers that one's id instead of queueing a second.
 */
export class HistoryExportService {
  constructor(
    private readonly exportRows: HistoryExportRepository,
    private readonly jobs: JobSender,
    private readonly urls: Pick<MediaUrls, 'downloadUrl'>,
  ) {}

  async start(userId: number, format: HistoryExportFormat, requestId?: string): Promise<{ exportId: number }> {
    const { id, created } = await this.exportRows.insertUnlessBuilding(userId, format);
    try {
      // For an export already building this adds nothing (same job id), unless its job was lost: then it is queued again.
      await this.jobs.add('build-export', { exportId: id, userId, requestId });
    } catch (error) {
      if (created) await this.exportRows.fail(userId, id, 'The export could not be queued. Please try again.').catch(() => {});
      throw error;
    }
    return { exportId: id };
  }

  async get(userId: number, exportId: number) {
    const row = await this.exportRows.find(userId, exportId);
    if (!row) throw new NotFoundError('Export');
    return this.present(row);
  }

  async list(userId: number, limit: number) {
    const rows = await this.exportRows.listRecent(userId, limit);
    return rows.map((row) => this.present(row));
  }

  /** The row as the API shows it: the storage key replaced by a signed link, past-retention files as `expired`. */
  present(row: HistoryExportRecord, now = Date.now()) {
    const expiresAt = row.completedAt && new Date(row.completedAt.getTime() + EXPORT_RETENTION_MS);
    const available = row.status === 'completed' && row.storageKey !== null && expiresAt !== null && expiresAt.getTime() > now;
    const status: HistoryExportStatus = row.status === 'completed' && !available ? 'expired' : row.status;
    const fileName = exportFileName(row.format, row.createdAt);
    return {
      exportId: row.id,
      format: row.format,
      status,
      /** Concerts written so far, of `total` (null until the build has counted them). */
      done: row.done,
      total: row.total === null ? null : Math.max(row.total, row.done),
      fileName,
      byteSize: available ? row.byteSize : null,
      createdAt: row.createdAt,
      completedAt: row.completedAt,
      expiresAt: available ? expiresAt : null,
      ...(available ? { url: this.urls.downloadUrl(row.storageKey!, fileName, EXPORT_LINK_TTL_SECONDS, now) } : {}),
      ...(row.status === 'failed' ? { error: row.error ?? 'The export failed' } : {}),
    };
  }
}
