import type { HistoryExportFormat } from '../../shared/export.js';

const CONTENT_TYPES: Record<HistoryExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
};

export const exportContentType = (format: HistoryExportFormat) => CONTENT_TYPES[format];

/** What the download saves as: `concert-history-2024-05-01.csv`, or `concert-book-2024-05-01.pdf`; the day the export was made (UTC). */
export function exportFileName(format: HistoryExportFormat, createdAt: Date): string {
  const day = createdAt.toISOString().slice(0, 10);
  return format === 'pdf' ? `concert-book-${day}.pdf` : `concert-history-${day}.${format}`;
}
