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
    let after: ExportPosition | null = null;
    for (;;) {
      const page = await this.exports.page(userId, after, this.pageSize);
      yield page.map(toExportRow);
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
    let opened = false;
    let written = 0;
    for await (const rows of this.rows(userId)) {
      let text = '';
      if (!opened) text += format === 'csv' ? CSV_BOM + csvLine(CSV_HEADER) : '[';
      opened = true;
      for (const row of rows) {
        text += format === 'csv' ? csvLine(CSV_COLUMNS.map(([, value]) => value(row))) : `${written === 0 ? '' : ','}\n${JSON.stringify(row)}`;
        written += 1;
      }
      // The opening goes out even for an empty history; a later empty page has nothing to add.
      if (text) yield text;
    }
    if (format === 'json') yield '\n]\n';
  }
}
