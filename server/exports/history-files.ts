/**
 * The export files, written page by page of the history into a sink (see
 * streamed-object.ts): CSV and JSON rows as the streamed download writes them,
 * and the PDF concert book. Each concert is counted as it is written, for the
 * progress bar.
 */
import type { ExportFormat } from '../../shared/export.js';
import type { ExportConcert } from '../repositories/export.repository.js';
import { ROW_FILE_FORMATS, toExportRow } from './row-files.js';
import type { ObjectStorage } from '../storage/storage.js';
import { bookPhoto, type BookPhotoSource } from './book-photos.js';
import { BOOK_PHOTOS_PER_PAGE, ConcertBook } from './concert-book.js';
import type { BookFonts } from './pdf-fonts.js';
import type { ByteSink } from './streamed-object.js';

export interface HistoryPages {
  /** The user's concerts, oldest first, a bounded page at a time. */
  pages(userId: number): AsyncIterable<ExportConcert[]>;
}

/** Called after each concert written, with how many are written so far. */
export type OnWritten = (written: number) => Promise<void>;

/** Rows are sent to storage in pieces of about this size. */
const PIECE_CHARS = 64 * 1024;

export async function writeRowFile(history: HistoryPages, userId: number, format: ExportFormat, sink: ByteSink, onWritten: OnWritten) {
  const file = ROW_FILE_FORMATS[format];
  await sink.write(file.opening);
  let written = 0;
  for await (const page of history.pages(userId)) {
    let piece = '';
    for (const concert of page) {
      piece += file.row(toExportRow(concert), written);
      written += 1;
      if (piece.length >= PIECE_CHARS) {
        await sink.write(piece);
        piece = '';
      }
      await onWritten(written);
    }
    await sink.write(piece);
  }
  await sink.write(file.closing);
  return written;
}

export interface StarredPhotos {
  starredPhotos(userId: number, concertIds: number[], perConcert: number): Promise<Array<BookPhotoSource & { concertId: number }>>;
}

export interface ConcertBookInput {
  history: HistoryPages;
  photos: StarredPhotos;
  storage: ObjectStorage;
  fonts: BookFonts;
  userId: number;
  /** The concerts counted when the build began (the cover and page footers say it). */
  total: number;
  createdAt: Date;
}

/** The cover, then one page per concert; each page's bytes go to the sink before the next page is drawn. */
export async function writeConcertBook(input: ConcertBookInput, sink: ByteSink, onWritten: OnWritten) {
  const { history, photos, storage, userId, total } = input;
  const book = new ConcertBook(input.fonts, input.createdAt);
  const flush = async (chunks: Buffer[]) => {
    for (const chunk of chunks) await sink.write(chunk);
  };
  book.cover(total, input.createdAt);
  await flush(book.take());
  let written = 0;
  for await (const page of history.pages(userId)) {
    const starred = new Map<number, BookPhotoSource[]>();
    for (const photo of await photos.starredPhotos(
      userId,
      page.map((concert) => concert.id),
      BOOK_PHOTOS_PER_PAGE,
    )) {
      starred.set(photo.concertId, [...(starred.get(photo.concertId) ?? []), photo]);
    }
    for (const concert of page) {
      const images: Buffer[] = [];
      for (const photo of starred.get(concert.id) ?? []) {
        const image = await bookPhoto(storage, photo);
        if (image) images.push(image);
      }
      written += 1;
      // Concerts added while the book is built still get their page; the footer's count grows with them.
      book.concert({ row: toExportRow(concert), sets: concert.setlist ?? [], photos: images }, { number: written, of: Math.max(total, written) });
      await flush(book.take());
      await onWritten(written);
    }
  }
  await flush(await book.finish());
  return written;
}
