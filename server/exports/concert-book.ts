/**
 * The PDF "concert book": a cover, then exactly one A4 page per concert (artist,
 * date, venue, tour, support, notes, up to three starred photos, the setlist).
 * Whatever does not fit a page is cut with an ellipsis rather than spilling onto
 * another, so page n+1 is always concert n.
 *
 * pdfkit writes each page out when the next one starts; the bytes collect here and
 * the caller takes them after every page (`take`), so the document never sits in
 * memory whole.
 */
import PDFDocument from 'pdfkit';
import type { SetlistSet } from '../../shared/concert.schema.js';
import type { HistoryExportRow } from '../../shared/export.schema.js';
import { drawableText, glyphsOf, isWinAnsi, type BookFonts } from './pdf-fonts.js';

export interface BookConcert {
  row: HistoryExportRow;
  /** The setlist as stored, with its sets and encores. */
  sets: readonly SetlistSet[];
  /** JPEG or PNG bytes of the starred photos to show (at most three). */
  photos: readonly Buffer[];
}

const INK = '#1b1b1f';
const MUTED = '#5f6068';
const ACCENT = '#8a3ffc';
const PHOTO_HEIGHT = 170;
const PHOTO_GAP = 10;
export const BOOK_PHOTOS_PER_PAGE = 3;

const longDate = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "Friday, 2 March 2018": the evening's date as written (a calendar date, so no time zone may shift it). */
export function bookDate(date: string): string {
  return longDate.format(new Date(`${date}T00:00:00Z`));
}

/** The setlist as lines: songs numbered as played live, tape marked, sets and encores named. */
export function setlistLines(sets: readonly SetlistSet[]): string[] {
  const lines: string[] = [];
  let number = 0;
  sets.forEach((set, i) => {
    const heading = set.name?.trim() || (set.encore ? (set.encore > 1 ? `Encore ${set.encore}` : 'Encore') : i > 0 ? `Set ${i + 1}` : '');
    if (heading) lines.push(`${heading}:`);
    for (const song of set.songs) {
      const cover = song.coverOf ? ` (${song.coverOf} cover)` : '';
      if (song.tape) {
        lines.push(`– ${song.name} (tape)`);
      } else {
        number += 1;
        lines.push(`${number}. ${song.name}${cover}`);
      }
    }
  });
  return lines;
}

export class ConcertBook {
  private readonly doc: PDFKit.PDFDocument;
  private readonly pending: Buffer[] = [];
  private readonly ended: Promise<void>;
  private readonly canDraw: (codePoint: number) => boolean;

  constructor(fonts: BookFonts, createdAt: Date) {
    this.doc = new PDFDocument({
      size: 'A4',
      margin: 56,
      autoFirstPage: false,
      info: { Title: 'Concert book', Creator: 'Concert History', CreationDate: createdAt },
    });
    this.doc.on('data', (chunk: Buffer) => this.pending.push(chunk));
    this.ended = new Promise((resolve, reject) => {
      this.doc.once('end', resolve);
      this.doc.once('error', reject);
    });
    this.doc.registerFont('regular', fonts.regular);
    this.doc.registerFont('bold', fonts.bold);
    this.canDraw = fonts.embedded ? glyphsOf(fonts.regular) : isWinAnsi;
  }

  /** The bytes written since the last call. */
  take(): Buffer[] {
    return this.pending.splice(0);
  }

  cover(concerts: number, createdAt: Date) {
    const doc = this.page();
    const width = this.width();
    doc.y = doc.page.height / 3;
    doc.font('regular').fontSize(14).fillColor(ACCENT).text('Concert History', { width });
    doc.font('bold').fontSize(40).fillColor(INK).text('Concert book', { width });
    doc.moveDown(0.5);
    doc.font('regular').fontSize(16).fillColor(MUTED);
    doc.text(concerts === 0 ? 'No concerts yet' : concerts === 1 ? '1 concert' : `${concerts.toLocaleString('en-GB')} concerts`, { width });
    doc.text(`Made on ${bookDate(createdAt.toISOString().slice(0, 10))}`, { width });
  }

  concert({ row, sets, photos }: BookConcert, position: { number: number; of: number }) {
    const doc = this.page();
    const left = doc.page.margins.left;
    const width = this.width();
    const bottom = doc.page.height - doc.page.margins.bottom;

    doc.font('regular').fontSize(11).fillColor(MUTED).text(bookDate(row.date), { width });
    doc.moveDown(0.2);
    doc
      .font('bold')
      .fontSize(26)
      .fillColor(INK)
      .text(this.clean(row.artist ?? 'Unknown artist'), { width, height: 70, ellipsis: true });
    const place = [row.venue, row.city, row.country].filter(Boolean).join(', ');
    doc
      .font('regular')
      .fontSize(14)
      .text(this.clean(place || 'Unknown venue'), { width, height: 36, ellipsis: true });
    doc.fontSize(11).fillColor(MUTED);
    if (row.festival) doc.text(this.clean(`At ${row.festival}`), { width, height: 28, ellipsis: true });
    if (row.tour) doc.text(this.clean(row.tour), { width, height: 28, ellipsis: true });
    if (row.supportingActs.length) doc.text(this.clean(`With ${row.supportingActs.join(', ')}`), { width, height: 28, ellipsis: true });
    if (row.status === 'needs_review') doc.fillColor(ACCENT).text('Not confirmed yet', { width });
    if (row.notes) {
      doc.moveDown(0.4);
      doc.fontSize(10).fillColor(INK).text(this.clean(row.notes, true), { width, height: 44, ellipsis: true });
    }

    if (photos.length) this.photoRow(photos, left, doc.y + 14, width);

    doc.moveDown(0.8);
    doc.font('bold').fontSize(13).fillColor(INK).text('Setlist', left, doc.y, { width });
    doc.moveDown(0.2);
    const lines = setlistLines(sets);
    const footerY = bottom - 14;
    const height = Math.max(footerY - 10 - doc.y, 14);
    doc.font('regular').fontSize(10);
    if (!lines.length) doc.fillColor(MUTED).text('No setlist yet', { width });
    else {
      const columns = lines.length <= 22 ? 1 : lines.length <= 48 ? 2 : 3;
      doc.fillColor(INK).text(this.clean(lines.join('\n'), true), { width, height, columns, columnGap: 18, ellipsis: true });
    }

    const photoNote = `${row.photoCount === 1 ? '1 photo' : `${row.photoCount} photos`}, ${row.starredCount} starred`;
    doc.fontSize(9).fillColor(MUTED).text(`${photoNote} · Concert ${position.number} of ${position.of}`, left, footerY, { width, lineBreak: false });
  }

  /** Ends the document; the remaining bytes (the fonts, the cross-reference table). */
  async finish(): Promise<Buffer[]> {
    this.doc.end();
    await this.ended;
    return this.take();
  }

  private page() {
    return this.doc.addPage();
  }

  private width() {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  /** Up to three photos side by side, each fitted into its cell; one that pdfkit cannot read is left out. */
  private photoRow(photos: readonly Buffer[], left: number, top: number, width: number) {
    const cell = (width - PHOTO_GAP * (BOOK_PHOTOS_PER_PAGE - 1)) / BOOK_PHOTOS_PER_PAGE;
    photos.slice(0, BOOK_PHOTOS_PER_PAGE).forEach((photo, i) => {
      try {
        this.doc.image(photo, left + i * (cell + PHOTO_GAP), top, { fit: [cell, PHOTO_HEIGHT], align: 'center', valign: 'center' });
      } catch {
        // A photo is decoration here: the page goes on without it.
      }
    });
    this.doc.x = left;
    this.doc.y = top + PHOTO_HEIGHT;
  }

  private clean(text: string, lines = false) {
    return drawableText(text, this.canDraw, { lines });
  }
}
