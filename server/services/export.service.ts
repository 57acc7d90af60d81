import type { ExportFormat } from '../../shared/export.js';
import type { HistoryExportRow } from '../../shared/export.schema.js';
import { DOWNLOAD_CONTENT_TYPES, ROW_FILE_FORMATS, toExportRow } from '../exports/row-files.js';
import type { ExportConcert, ExportPosition, ExportRepository } from '../repositories/export.repository.js';

/** Concerts read per query: a long history streams out in pages and never sits in memory whole. */
export const EXPORT_PAGE_SIZE = 500;

/** The whole history of a user as CSV or JSON text, produced page by page for a streamed download. */
export class ExportService {
  constructor(
    private readonly exports: ExportRepository,
    private readonly pageSize = EXPORT_PAGE_SIZE,
  ) {}

  contentType(format: ExportFormat): string {
    return DOWNLOAD_CONTENT_TYPES[format];
  }

  /** `concert-history-2024-05-01.csv`: the day of the export (UTC). */
  fileName(format: ExportFormat, now = new Date()): string {
    return `concert-history-${now.toISOString().slice(0, 10)}.${format}`;
  }

  /** Every concert, oldest first, one page per step; always at least one (possibly empty) page. */
  async *rows(userId: number): AsyncGenerator<HistoryExportRow[]> {
    for await (const page of this.pages(userId)) yield page.map(toExportRow);
  }

  /** The stored concerts (with their ids), page by page, as rows() reads them. */
  async *pages(userId: number): AsyncGenerator<ExportConcert[]> {
    let after: ExportPosition | null = null;
    for (;;) {
      const page = await this.exports.page(userId, after, this.pageSize);
      yield page;
      const last = page.at(-1);
      if (page.length < this.pageSize || !last) return;
      after = { concertDate: last.concertDate, id: last.id };
    }
  }

  /**
   * The file's text in pieces. The first piece comes only after the first page was
   * read, so a failing database can still be answered with an error status instead
   * of a truncated download.
   */
  async *chunks(userId: number, format: ExportFormat): AsyncGenerator<string> {
    const file = ROW_FILE_FORMATS[format];
    let opened = false;
    let written = 0;
    for await (const rows of this.rows(userId)) {
      let text = '';
      if (!opened) text += file.opening;
      opened = true;
      for (const row of rows) {
        text += file.row(row, written);
        written += 1;
      }
      // The opening goes out even for an empty history; a later empty page has nothing to add.
      if (text) yield text;
    }
    if (file.closing) yield file.closing;
  }
}
