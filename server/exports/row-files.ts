/**
 * The CSV and JSON history files: their columns and rows, written the same way by
 * the streamed download (server/services/export.service.ts) and by the background
 * export into storage (history-files.ts).
 */
import type { ExportFormat } from '../../shared/export.js';
import type { HistoryExportRow } from '../../shared/export.schema.js';
import type { ExportConcert } from '../repositories/export.repository.js';
import { CSV_BOM, csvLine, type CsvValue } from './csv-writer.js';

/** The CSV's columns, in order: the JSON row's fields, lists joined for a spreadsheet cell. */
const CSV_COLUMNS: ReadonlyArray<readonly [header: string, value: (row: HistoryExportRow) => CsvValue]> = [
  ['Date', (row) => row.date],
  ['Artist', (row) => row.artist],
  ['Artist MBID', (row) => row.artistMbid],
  ['Venue', (row) => row.venue],
  ['City', (row) => row.city],
  ['Country', (row) => row.country],
  ['Tour', (row) => row.tour],
  ['Festival', (row) => row.festival],
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

/** What a streamed download (`/api/export/history.<format>`) is sent as. */
export const DOWNLOAD_CONTENT_TYPES: Record<ExportFormat, string> = {
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
    festival: concert.festivalName,
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
