/** The history export's formats and download routes; free of zod so the settings view stays light. */
export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Where the browser downloads the export from (GET, with the session cookie). */
export const exportPath = (format: ExportFormat) => `/api/export/history.${format}`;
