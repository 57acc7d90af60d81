/** The history export's formats and download routes; free of zod so the settings view stays light. */
export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Where the browser downloads the export from (GET, with the session cookie). */
export const exportPath = (format: ExportFormat) => `/api/export/history.${format}`;

/** What a background export (`exports.start`) builds: the two data files, or the PDF concert book. */
export const HISTORY_EXPORT_FORMATS = ['csv', 'json', 'pdf'] as const;
export type HistoryExportFormat = (typeof HISTORY_EXPORT_FORMATS)[number];

/** A background export's state; `expired` once its file is past the retention and no longer offered. */
export const HISTORY_EXPORT_STATUSES = ['queued', 'running', 'completed', 'failed', 'expired'] as const;
export type HistoryExportStatus = (typeof HISTORY_EXPORT_STATUSES)[number];

/** How long a finished export's file is kept and offered for download. */
export const HISTORY_EXPORT_RETENTION_DAYS = 7;

export const isExportBuilding = (status: HistoryExportStatus) => status === 'queued' || status === 'running';
