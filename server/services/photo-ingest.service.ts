import type { z } from 'zod';
import { hashChunks } from '../../shared/hamming.js';
import type { ingestPhotoPayload } from '../../shared/jobs.js';
import type { AppConfig } from '../config.js';
import { sha256Of } from '../media/content-hash.js';
import { readPhotoMetadata, type PhotoMetadata } from '../media/exif.js';
import { resolveFloatingTime } from '../media/floating-time.js';
import { analyzeImage, analyzeThumbnail, type RenditionAnalysis } from '../media/image-analysis.js';
import { InvalidPhotoError } from '../media/photo-errors.js';
import type { Logger } from '../logger.js';
import type { JobQueues } from '../queue/queues.js';
import type { PhotoRepository } from '../repositories/photo.repository.js';
import type { ProcessedFileRepository } from '../repositories/processed-file.repository.js';
import type { ScanProgressRepository } from '../repositories/scan-progress.repository.js';
import { FileTooLargeError, SourceFileGoneError, type PhotoSource } from '../sources/photo-source.js';
import { storageKeys } from '../storage/storage-keys.js';
import type { ObjectStorage } from '../storage/storage.js';
import type { SourceService } from './source.service.js';

export type IngestPayload = z.output<typeof ingestPhotoPayload>;
type SourceFilePayload = IngestPayload['file'];

interface Read {
  analysis: RenditionAnalysis;
  width: number | null;
  height: number | null;
  metadata: PhotoMetadata;
  contentHash: string;
  contentHashKind: 'sha256' | 'md5';
  byteSize: number | null;
}

/** Failures that no retry can fix: recorded on the photo with a reason, and the scan goes on. */
function permanentReason(error: unknown): string | null {
  if (error instanceof InvalidPhotoError) return error.reason;
  if (error instanceof SourceFileGoneError || error instanceof FileTooLargeError) return error.message;
  return null;
}

/**
 * Ingests one file of a scan: reads it (or, when the source already knows the date,
 * place and checksum, only its small thumbnail), hashes it, stores a thumbnail and
 * upserts its photo row. Safe to run twice for one file: the row, the thumbnail key
 * and the scan counters all stay exactly once.
 */
export class PhotoIngestService {
  constructor(
    private readonly sources: SourceService,
    private readonly photos: PhotoRepository,
    private readonly processedFiles: ProcessedFileRepository,
    private readonly progress: ScanProgressRepository,
    private readonly storage: ObjectStorage,
    private readonly queues: JobQueues,
    private readonly config: Pick<AppConfig, 'media' | 'ingest'>,
  ) {}

  async ingest(payload: IngestPayload, attempt: { number: number; of: number }, logger: Logger) {
    const { scanId, userId, sourceId, file } = payload;
    if (await this.progress.isCancelled(scanId)) return { outcome: 'skipped' as const };
    let photoId: number;
    try {
      const source = await this.sources.openForReading(userId, sourceId);
      photoId = await this.store(payload, await this.read(source, file));
    } catch (error) {
      const permanent = permanentReason(error);
      if (!permanent && attempt.number < attempt.of) throw error;
      const reason = permanent ?? `Could not be read after ${attempt.of} attempts: ${(error as Error).message}`;
      return this.recordFailure(payload, reason, logger);
    }
    return this.settle(payload, photoId, 'processed');
  }

  /** BullMQ gave up on the job outside the handler (it stalled too often): the file still counts, as failed. */
  async recordAbandoned(payload: IngestPayload, reason: string, logger: Logger) {
    if (await this.progress.isCancelled(payload.scanId)) return;
    await this.recordFailure(payload, `Processing was interrupted too often: ${reason}`, logger);
  }

  private async recordFailure(payload: IngestPayload, reason: string, logger: Logger) {
    const { scanId, userId, sourceId, file } = payload;
    logger.info({ fileId: file.fileId, reason }, 'photo failed');
    const photoId = await this.photos.upsertFailed({
      userId, sourceId, scanId, sourceFileId: file.fileId, fileName: file.name.slice(0, 255), mimeType: file.mimeType ?? null,
      byteSize: file.size, failureReason: reason,
    });
    return this.settle(payload, photoId, 'failed');
  }

  /** Sync state, then the scan counter (once per file), then the next stage when this was the scan's last file. */
  private async settle({ scanId, userId, sourceId, file, requestId }: IngestPayload, photoId: number, outcome: 'processed' | 'failed') {
    await this.processedFiles.record({
      userId, sourceId, fileId: file.fileId, fingerprint: file.fingerprint, photoId,
      outcome: outcome === 'processed' ? 'ingested' : 'failed', processedAt: new Date(),
    });
    const { finishing } = await this.progress.markDone(scanId, file.fileId, outcome);
    if (finishing) await this.queues.dedupScan({ scanId, userId, requestId });
    return { outcome, photoId };
  }

  private async read(source: PhotoSource, file: SourceFilePayload): Promise<Read> {
    const known = file.metadata;
    // Metadata first: when the source has a checksum and a thumbnail, the full file is never downloaded. (Drive
    // reads EXIF itself, so a photo it knows no date for would yield none from a download either.)
    if (known?.md5 && known.hasThumbnail) {
      const thumbnail = await source.readThumbnail(file);
      if (thumbnail) {
        const resolved = known.takenAt
          ? resolveFloatingTime(known.takenAt, known.latitude ?? null, known.longitude ?? null)
          : { takenAt: null, timeZone: null };
        return {
          analysis: await analyzeThumbnail(thumbnail, this.config.media),
          width: known.width ?? null,
          height: known.height ?? null,
          metadata: {
            takenAt: resolved.takenAt,
            timeZone: resolved.timeZone,
            latitude: known.latitude ?? null,
            longitude: known.longitude ?? null,
            cameraMake: known.cameraMake ?? null,
            cameraModel: known.cameraModel ?? null,
            orientation: null,
          },
          contentHash: known.md5,
          contentHashKind: 'md5',
          byteSize: file.size,
        };
      }
    }
    const maxBytes = this.config.ingest.maxFileBytes;
    // The listing's size first: a file known to be too large is never opened.
    if (file.size !== null && file.size > maxBytes) throw new FileTooLargeError(maxBytes);
    const opened = await source.openFile(file.fileId, { maxBytes });
    try {
      // Every reader is done before the file is released (a local file's path names its open descriptor).
      const [hash, analysis, metadata] = await settled([
        sha256Of(opened.input, maxBytes),
        analyzeImage(opened.input, this.config.media),
        readPhotoMetadata(opened.input),
      ] as const);
      return {
        analysis,
        width: analysis.width,
        height: analysis.height,
        metadata,
        contentHash: hash.hex,
        contentHashKind: 'sha256',
        byteSize: hash.bytes,
      };
    } finally {
      await opened.release();
    }
  }

  private async store({ scanId, userId, sourceId, file }: IngestPayload, read: Read): Promise<number> {
    const { analysis, metadata } = read;
    const thumbnailKey = storageKeys.thumbnail(userId, read.contentHash);
    if (!(await this.storage.exists(thumbnailKey))) await this.storage.put(thumbnailKey, analysis.thumbnail.data, 'image/webp');
    const [phash0, phash1, phash2, phash3] = hashChunks(analysis.perceptualHash);
    return this.photos.upsertIngested({
      userId, sourceId, scanId, sourceFileId: file.fileId, fileName: file.name.slice(0, 255),
      mimeType: `image/${analysis.format}`, byteSize: read.byteSize, width: read.width, height: read.height,
      contentHash: read.contentHash, contentHashKind: read.contentHashKind, perceptualHash: analysis.perceptualHash,
      phash0, phash1, phash2, phash3, takenAt: metadata.takenAt, timeZone: metadata.timeZone,
      latitude: metadata.latitude, longitude: metadata.longitude, cameraMake: metadata.cameraMake?.slice(0, 100) ?? null,
      cameraModel: metadata.cameraModel?.slice(0, 100) ?? null, orientation: metadata.orientation, thumbnailKey,
      blurPlaceholder: analysis.placeholder,
    });
  }
}

/** Promise.all that waits for every promise to settle, then throws the first failure in order. */
async function settled<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
