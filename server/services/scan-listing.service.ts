import type { JobInput, JobPayload } from '../../shared/jobs.js';
import { done, failed, skipped, type Outcome, type StopCheck } from '../outcome.js';
import type { ProcessedFileRepository } from '../repositories/processed-file.repository.js';
import type { PhotoRepository } from '../repositories/photo.repository.js';
import type { SourceRepository } from '../repositories/source.repository.js';
import { SourceAccessError, type SourceFile, type UnreadableEntry } from '../sources/photo-source.js';
import type { SourceService } from './source.service.js';

export type ScanSourcePayload = JobPayload<'scan-source'>;
/** A file as the listing hands it on (its ingest job's `file`). */
export type ListedFile = JobInput<'ingest-photo'>['file'];

/** One page of the listing: the new or changed files, and those it could not read (recorded failed already). */
export interface ListedPage {
  files: ListedFile[];
  unreadable: string[];
}

function toListedFile(file: SourceFile): ListedFile {
  const m = file.metadata;
  return {
    fileId: file.fileId,
    name: file.name,
    mimeType: file.mimeType,
    size: file.size,
    fingerprint: file.fingerprint,
    modifiedAt: file.modifiedAt?.toISOString() ?? null,
    metadata: m && { ...m, takenAt: m.takenAt?.toISOString() ?? null },
  };
}

/**
 * Lists a library page by page and hands on each page's new or changed files.
 * Running it again after a crash lists again; files already done are skipped by
 * their fingerprint, and what the pages are handed to counts nothing twice.
 */
export class ScanListingService {
  constructor(
    private readonly sources: SourceService,
    private readonly sourceRows: SourceRepository,
    private readonly processedFiles: ProcessedFileRepository,
    private readonly photos: PhotoRepository,
  ) {}

  /** Fails for good when the library cannot be opened or read at all (gone, no longer allowed, authorization revoked). */
  async list(
    scan: ScanSourcePayload,
    { stopped, handOn }: { stopped: StopCheck; handOn: (page: ListedPage) => Promise<void> },
  ): Promise<Outcome<{ queued: number; unchanged: number }>> {
    const { userId, sourceId } = scan;
    try {
      const { row, source } = await this.sources.open(userId, sourceId);
      const listing = source.list(row.changesPageToken ?? null);
      let queued = 0;
      // Listed but unchanged since they were last read: skipped, and said so ("379 already in your history").
      let unchanged = 0;
      for (;;) {
        const next = await listing.next();
        if (next.done) {
          await this.sourceRows.recordScan(userId, sourceId, { lastScanAt: new Date(), changesPageToken: next.value });
          return done({ queued, unchanged });
        }
        if (await stopped()) {
          await listing.return(null);
          return skipped('cancelled');
        }
        const { files, removedFileIds = [], unreadable = [] } = next.value;
        await this.recordUnreadable(scan, unreadable);
        const known = await this.processedFiles.fingerprintsOf(
          userId,
          sourceId,
          files.map((f) => f.fileId),
        );
        const fresh = files.filter((file) => known.get(file.fileId) !== file.fingerprint);
        await handOn({ files: fresh.map(toListedFile), unreadable: unreadable.map((entry) => entry.id) });
        // Gone from the library: forget the sync state so a file that comes back is read again. Photos stay.
        await this.processedFiles.forget(userId, sourceId, removedFileIds);
        queued += fresh.length;
        unchanged += files.length - fresh.length;
      }
    } catch (error) {
      if (error instanceof SourceAccessError) return failed(error.message);
      throw error;
    }
  }

  /**
   * A folder (or file) the listing could not read fails on its own, with its reason, among the scan's
   * failures; the rest of the library is scanned.
   */
  private async recordUnreadable({ scanId, userId, sourceId }: ScanSourcePayload, entries: UnreadableEntry[]) {
    for (const entry of entries) {
      await this.photos.upsertFailed({
        userId,
        sourceId,
        scanId,
        sourceFileId: entry.id,
        fileName: entry.name,
        mimeType: null,
        byteSize: null,
        failureReason: entry.reason,
      });
    }
    // Read again by the next scan, whatever an earlier one recorded under the same id.
    if (entries.length)
      await this.processedFiles.forget(
        userId,
        sourceId,
        entries.map((entry) => entry.id),
      );
  }
}
