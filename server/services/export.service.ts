import type { ExportFormat } from '../../shared/export.js';
import type { HistoryExportRow } from '../../shared/export.schema.js';
import type { ExportConcert, ExportPosition, ExportRepository } from '../repositories/export.repository.js';
import { CSV_BOM, csvLine, type CsvValue } from './csv-writer.js';

/** Concerts read per query: a long history streams out in pages and never sits in memory whole. */
export const EXPORT_PAGE_SIZE = 500;

/** The CSV's columns, in order: the JSON row's fields, lists joined for a spreadsheet cell. */
const CSV_COLUMNS: ReadonlyArray<readonly [header: string, value: (row: HistoryExportRow) => CsvValue]> = [
  ['Date', (row) => row.date],
  ['Artist', (row) => row.artist],
  ['Artist MBID', (row) => row.artistMbid],
  ['Venue', (row) => row.venue],
  ['City', (row) => row.city],
  ['Country', (row) => row.country],
  ['Tour', (row) => row.tour],
  ['Status', (row) => row.status],
  ['Supporting acts', (row) => row.supportingActs.join('; ')],
  ['Setlist', (row) => row.setlist.map((song) => (song.tape ? `${song.name} (tape)` : song.name)).join('; ')],
  ['Songs', (row) => row.songCount],
  ['Photos', (row) => row.photoCount],
  ['Starred photos', (row) => row.starredCount],
  ['Notes', (row) => row.notes],
  ['setlist.fm URL', (row) => row.setlistfmUrl],
];

export const CSV_HEADER = CSV_COLUMNS.map(([header]) => header);

/** How a data file is written: what opens it, each row (`index`: its place in the file), what closes it. */
export interface RowFileFormat {
  opening: string;
  row(row: HistoryExportRow, index: number): string;
  closing: string;
}

/** CSV (UTF-8 with a BOM, for spreadsheets) and JSON (an array, one row a line). */
export const ROW_FILE_FORMATS: Record<ExportFormat, RowFileFormat> = {
  csv: { opening: CSV_BOM + csvLine(CSV_HEADER), row: (row) => csvLine(CSV_COLUMNS.map(([, value]) => value(row))), closing: '' },
  json: { opening: '[', row: (row, index) => `${index === 0 ? '' : ','}\n${JSON.stringify(row)}`, closing: '\n]\n' },
};

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
};

/** A stored concert as the export shows it: names instead of ids, the venue's place when the concert has none of its own. */
export function toExportRow(concert: ExportConcert): HistoryExportRow {
  const setlist = (concert.setlist ?? []).flatMap((set) => set.songs.map((song) => ({ name: song.name, tape: song.tape === true })));
  return {
    date: concert.concertDate,
    artist: concert.artistName,
    artistMbid: concert.artistMbid,
    venue: concert.venueName,
    city: concert.city ?? concert.venueCity,
    country: concert.countryCode ?? concert.venueCountryCode,
    tour: concert.tour,
    status: concert.status,
    supportingActs: (concert.supportingActs ?? []).map((act) => act.name),
    setlist,
    songCount: setlist.filter((song) => !song.tape).length,
    photoCount: concert.photoCount,
    starredCount: concert.starredCount,
    notes: concert.notes,
    setlistfmUrl: concert.setlistfmUrl,
  };
}

/** The whole history of a user as CSV or JSON text, produced page by page for a streamed download. */
export class ExportService {
  constructor(
    private readonly exports: ExportRepository,
    private readonly pageSize = EXPORT_PAGE_SIZE,
  ) {}

  contentType(format: ExportFormat): string {
    return CONTENT_TYPES[format];
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
