import { UnrecoverableError } from 'bullmq';
import type { z } from 'zod';
import type { scanSourcePayload } from '../../shared/jobs.js';
import type { Logger } from '../logger.js';
import type { JobQueues } from '../queue/queues.js';
import type { PhotoRepository } from '../repositories/photo.repository.js';
import type { ProcessedFileRepository } from '../repositories/processed-file.repository.js';
import type { ScanProgressRepository } from '../repositories/scan-progress.repository.js';
import type { ScanRepository } from '../repositories/scan.repository.js';
import type { SourceRepository } from '../repositories/source.repository.js';
import { SourceAccessError, type SourceFile, type UnreadableEntry } from '../sources/photo-source.js';
import type { SourceService } from './source.service.js';

export type ScanSourcePayload = z.output<typeof scanSourcePayload>;

function toJobFile(file: SourceFile) {
  const m = file.metadata;
  return {
    fileId: file.fileId,
    name: file.name,
    mimeType: file.mimeType,
    size: file.size,
    fingerprint: file.fingerprint,
    metadata: m && { ...m, takenAt: m.takenAt?.toISOString() ?? null },
  };
}

/**
 * The scan job: lists the source page by page and enqueues one ingest job per new
 * or changed file. Re-running it after a crash lists again; files already done are
 * skipped by their fingerprint and files already queued are not queued twice.
 */
export class ScanListingService {
  constructor(
    private readonly sources: SourceService,
    private readonly sourceRows: SourceRepository,
    private readonly scans: ScanRepository,
    private readonly progress: ScanProgressRepository,
    private readonly processedFiles: ProcessedFileRepository,
    private readonly queues: JobQueues,
    private readonly photos: PhotoRepository,
  ) {}

  async run(payload: ScanSourcePayload, attempt: { number: number; of: number }, logger: Logger) {
    const { scanId, userId, sourceId, requestId } = payload;
    if (await this.progress.isCancelled(scanId)) return { outcome: 'cancelled' as const };
    try {
      await this.scans.markRunning(userId, scanId);
      if ((await this.progress.get(scanId))?.status === 'queued') await this.progress.markRunning(scanId);
      const { row, source } = await this.sources.open(userId, sourceId);
      const listing = source.list(row.changesPageToken ?? null);
      let queued = 0;
      for (;;) {
        const next = await listing.next();
        if (next.done) {
          await this.sourceRows.recordScan(userId, sourceId, { lastScanAt: new Date(), changesPageToken: next.value });
          break;
        }
        if (await this.progress.isCancelled(scanId)) {
          await listing.return(null);
          return { outcome: 'cancelled' as const };
        }
        const { files, removedFileIds = [], unreadable = [] } = next.value;
        await this.recordUnreadable(payload, unreadable);
        const known = await this.processedFiles.fingerprintsOf(userId, sourceId, files.map((f) => f.fileId));
        const fresh = files.filter((file) => known.get(file.fileId) !== file.fingerprint);
        // Listed before queued: were the worker to die in between, a file already ingested would be skipped by its
        // fingerprint on the re-run and never listed, leaving the scan waiting for ever (listed < processed).
        await this.progress.addListed(scanId, fresh.map((file) => file.fileId));
        await this.queues.ingestPhotos(fresh.map((file) => ({ scanId, userId, sourceId, requestId, file: toJobFile(file) })));
        // Gone from the library: forget the sync state so a file that comes back is read again. Photos stay.
        await this.processedFiles.forget(userId, sourceId, removedFileIds);
        queued += fresh.length;
      }
      logger.info({ scanId, queued }, 'listing finished');
      if (await this.progress.listingDone(scanId)) await this.queues.dedupScan({ scanId, userId, requestId });
      return { outcome: 'listed' as const, queued };
    } catch (error) {
      const permanent = error instanceof SourceAccessError;
      if (!permanent && attempt.number < attempt.of) throw error;
      const reason = permanent ? error.message : `The library could not be listed: ${(error as Error).message}`;
      await this.fail(payload, reason);
      throw new UnrecoverableError(reason);
    }
  }

  /**
   * A folder (or file) the listing could not read fails on its own, with its reason, among the scan's
   * failures; the rest of the library is scanned. Counted like a file, once however often the page is listed.
   */
  private async recordUnreadable({ scanId, userId, sourceId }: ScanSourcePayload, entries: UnreadableEntry[]) {
    if (!entries.length) return;
    for (const entry of entries) {
      await this.photos.upsertFailed({
        userId, sourceId, scanId, sourceFileId: entry.id, fileName: entry.name, mimeType: null, byteSize: null, failureReason: entry.reason,
      });
    }
    const ids = entries.map((entry) => entry.id);
    // Read again by the next scan, whatever an earlier one recorded under the same id.
    await this.processedFiles.forget(userId, sourceId, ids);
    await this.progress.addListed(scanId, ids);
    for (const id of ids) await this.progress.markDone(scanId, id, 'failed');
  }

  /** The job was given up on outside the handler (it stalled in crashed workers too often). */
  async recordAbandoned(payload: ScanSourcePayload, reason: string) {
    if (await this.progress.isCancelled(payload.scanId)) return;
    await this.fail(payload, `The library could not be listed: ${reason}`);
  }

  private async fail({ scanId, userId }: ScanSourcePayload, reason: string) {
    const counts = (await this.progress.get(scanId))?.counts ?? null;
    await this.scans.finish(userId, scanId, 'failed', counts, reason);
    await this.progress.finish(scanId, 'failed');
  }
}
