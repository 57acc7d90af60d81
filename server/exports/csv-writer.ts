/**
 * A small RFC 4180 writer for downloads people open in spreadsheets: CRLF line
 * ends, fields quoted when they hold a comma, a quote or a line break (quotes
 * doubled), and a UTF-8 byte order mark so Excel reads the file as UTF-8.
 */

export const CSV_BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * Text a spreadsheet would run as a formula (OWASP's CSV injection list: = + - @,
 * and tab or carriage return before one of them). Such a cell gets a leading
 * single quote, which spreadsheets read as "this is text".
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | null | undefined;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  // Numbers are ours (counts), never a formula; a negative one stays a number.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, line end included. */
export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',') + CRLF;
}
