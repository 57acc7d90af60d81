import type { JobPayload } from '../../shared/jobs.js';
import type { AppConfig } from '../config.js';
import { sha256Of } from '../media/content-hash.js';
import { readPhotoMetadata, type PhotoMetadata } from '../media/exif.js';
import { analyzeImage, analyzeThumbnail, type RenditionAnalysis } from '../media/image-analysis.js';
import { metadataFromListing } from '../media/listed-metadata.js';
import { InvalidPhotoError } from '../media/photo-errors.js';
import { done, failed, type Outcome } from '../outcome.js';
import type { PhotoRepository } from '../repositories/photo.repository.js';
import type { ProcessedFileRepository } from '../repositories/processed-file.repository.js';
import { FileTooLargeError, SourceFileGoneError, type PhotoSource } from '../sources/photo-source.js';
import { storageKeys } from '../storage/storage-keys.js';
import type { ObjectStorage } from '../storage/storage.js';
import type { SourceService } from './source.service.js';
import { readContentIdentifier } from '../media/live-photo.js';
import { PREVIEW_SIZE } from '../media/image-analysis.js';
import { posterFrame, PosterFrameError } from '../media/poster-frame.js';
import { VideoStructureError } from '../media/quicktime-atoms.js';
import { sniffVideoFormat, VIDEO_MIME_TYPES, type VideoFormat } from '../media/video-format.js';
import { readVideoMetadata } from '../media/video-metadata.js';
import type { MediaType } from '../../shared/photo.schema.js';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { tempFile } from '../sources/temp-file.js';

export type IngestPayload = JobPayload<'ingest-photo'>;
type SourceFilePayload = IngestPayload['file'];

interface Read {
  mediaType: MediaType;
  mimeType: string;
  /** Null: a video without a poster frame (metadata.notes says why). */
  analysis: RenditionAnalysis | null;
  width: number | null;
  height: number | null;
  metadata: PhotoMetadata;
  contentHash: string;
  contentHashKind: 'sha256' | 'md5';
  byteSize: number | null;
  durationMs?: number | null;
  /** The original's key in our storage (a video's copy, an upload's object). */
  originalKey?: string | null;
  contentIdentifier?: string | null;
}

/** Enough of a file's start to tell a video from a photo by content. */
const HEAD_BYTES = 4096;

/** Failures that no retry can fix: recorded on the photo with a reason, and the scan goes on. */
function permanentReason(error: unknown): string | null {
  if (error instanceof InvalidPhotoError) return error.reason;
  if (error instanceof VideoStructureError) return error.reason;
  if (error instanceof SourceFileGoneError || error instanceof FileTooLargeError) return error.message;
  return null;
}

/**
 * Ingests one file of a scan: reads it (or, when the source already knows the date,
 * place and checksum, only its small thumbnail), hashes it, stores a thumbnail and
 * upserts its photo row and sync state. Safe to run twice for one file: the row,
 * the thumbnail key and the sync row all stay one.
 */
export class PhotoIngestService {
  constructor(
    private readonly sources: SourceService,
    private readonly photos: PhotoRepository,
    private readonly processedFiles: ProcessedFileRepository,
    private readonly storage: ObjectStorage,
    private readonly config: Pick<AppConfig, 'media' | 'ingest'> & { media: Partial<Pick<AppConfig['media'], 'ffmpegPath' | 'posterTimeoutMs'>> },
  ) {}

  /** Fails for good, with a reason a person can read, on a file no retry can fix; anything else throws (and is retried). */
  async ingest(payload: IngestPayload): Promise<Outcome<{ photoId: number }>> {
    const { userId, sourceId, file } = payload;
    let photoId: number;
    try {
      const source = await this.sources.openForReading(userId, sourceId);
      const read = await this.read(source, file, userId);
      photoId = await this.store(payload, read);
      // A Live Photo's HEIC and MOV, in whichever order they came: the clip joins the photo (one statement, idempotent).
      if (read.contentIdentifier) await this.photos.pairLivePhoto(userId, sourceId, read.contentIdentifier);
    } catch (error) {
      const permanent = permanentReason(error);
      if (permanent) return failed(permanent);
      throw error;
    }
    await this.recordSync(payload, photoId, 'ingested');
    return done({ photoId });
  }

  /** The file failed for good: a failed photo row with the reason, and its sync state, so the next scan reads it again only if it changed. */
  async recordFailure(payload: IngestPayload, reason: string): Promise<{ photoId: number }> {
    const { scanId, userId, sourceId, file } = payload;
    const photoId = await this.photos.upsertFailed({
      userId,
      sourceId,
      scanId,
      sourceFileId: file.fileId,
      fileName: file.name.slice(0, 255),
      mimeType: file.mimeType ?? null,
      byteSize: file.size,
      failureReason: reason,
    });
    await this.recordSync(payload, photoId, 'failed');
    return { photoId };
  }

  private async recordSync({ userId, sourceId, file }: IngestPayload, photoId: number, outcome: 'ingested' | 'failed') {
    await this.processedFiles.record({
      userId,
      sourceId,
      fileId: file.fileId,
      fingerprint: file.fingerprint,
      photoId,
      outcome,
      processedAt: new Date(),
    });
  }

  private async read(source: PhotoSource, file: SourceFilePayload, userId: number): Promise<Read> {
    const known = file.metadata;
    const homeTimeZone = () => this.photos.homeTimeZoneOf(userId);
    // Metadata first: when the source has a checksum and a thumbnail, the full file is never downloaded. (Drive
    // reads EXIF itself, so a photo it knows no date for would yield none from a download either.)
    // A video is always read whole: its date and place are only in its own index, and it is copied to storage to be played.
    const listedAsVideo = file.mimeType?.startsWith('video/') ?? false;
    if (known?.md5 && known.hasThumbnail && !listedAsVideo) {
      const thumbnail = await source.readThumbnail(file);
      if (thumbnail) {
        const upright =
          known.width && known.height && known.rotation ? { width: known.width, height: known.height, quarterTurns: known.rotation } : undefined;
        const analysis = await analyzeThumbnail(thumbnail, { ...this.config.media, upright, previewSize: PREVIEW_SIZE });
        return {
          mediaType: 'photo',
          mimeType: `image/${analysis.format}`,
          analysis,
          width: known.width ?? null,
          height: known.height ?? null,
          metadata: await metadataFromListing(known, file.modifiedAt ?? null, homeTimeZone),
          contentHash: known.md5,
          contentHashKind: 'md5',
          byteSize: file.size,
        };
      }
    }
    const { maxFileBytes, maxVideoBytes } = this.config.ingest;
    // A video has a cap of its own; what the file turns out to be by content is checked against its own cap below.
    const maxBytes = listedAsVideo ? maxVideoBytes : maxFileBytes;
    // The listing's size first: a file known to be too large is never opened.
    if (file.size !== null && file.size > maxBytes) throw new FileTooLargeError(maxBytes);
    const opened = await source.openFile(file.fileId, { maxBytes, asFile: listedAsVideo });
    try {
      const videoFormat = sniffVideoFormat(await headOf(opened.input));
      if (videoFormat) {
        if (opened.size > maxVideoBytes) throw new FileTooLargeError(maxVideoBytes);
        return await this.readVideo(file, userId, opened.input, videoFormat);
      }
      if (opened.size > maxFileBytes) throw new FileTooLargeError(maxFileBytes);
      // Every reader is done before the file is released (a local file's path names its open descriptor).
      const [hash, analysis, metadata, contentIdentifier] = await settled([
        sha256Of(opened.input, maxBytes),
        analyzeImage(opened.input, { ...this.config.media, previewSize: PREVIEW_SIZE }),
        readPhotoMetadata(opened.input, { fileModifiedAt: file.modifiedAt ?? null, homeTimeZone }),
        readContentIdentifier(opened.input),
      ] as const);
      return {
        mediaType: 'photo',
        mimeType: `image/${analysis.format}`,
        analysis,
        width: analysis.width,
        height: analysis.height,
        metadata,
        contentHash: hash.hex,
        contentHashKind: 'sha256',
        byteSize: hash.bytes,
        originalKey: (await source.storedOriginalKey?.(file.fileId)) ?? null,
        contentIdentifier: analysis.format === 'heic' || analysis.format === 'jpeg' ? contentIdentifier : null,
      };
    } finally {
      await opened.release();
    }
  }

  /**
   * A video: its metadata from its QuickTime index (never the whole file in memory), its bytes hashed and
   * copied to storage to be streamed, and a poster frame by ffmpeg as its thumbnail, placeholder and preview.
   * Without a poster frame (no ffmpeg, a codec it cannot decode, a time-out) the video is still ingested,
   * with a note saying why. Exact copies are found by the content hash; a video has no perceptual hash.
   */
  private async readVideo(file: SourceFilePayload, userId: number, input: Buffer | string, format: VideoFormat): Promise<Read> {
    const { maxVideoBytes } = this.config.ingest;
    const homeTimeZone = () => this.photos.homeTimeZoneOf(userId);
    // ffmpeg and the storage copy read a path: a small video a source handed over as bytes is written out first.
    const spilled = typeof input === 'string' ? null : await tempFile();
    try {
      if (spilled) {
        const handle = await open(spilled.path, 'wx', 0o600);
        await handle.writeFile(input as Buffer).finally(() => handle.close());
      }
      const path = spilled?.path ?? (input as string);
      const [video, hash] = await settled([
        readVideoMetadata(path, { fileModifiedAt: file.modifiedAt ?? null, homeTimeZone }),
        sha256Of(path, maxVideoBytes),
      ] as const);
      const notes = [...video.notes];
      const originalKey = storageKeys.original(userId, hash.hex, format);
      if (!(await this.storage.exists(originalKey))) await this.storage.put(originalKey, createReadStream(path), VIDEO_MIME_TYPES[format]);
      let analysis: RenditionAnalysis | null = null;
      try {
        const poster = await posterFrame(path, video.durationMs === null ? null : video.durationMs / 1000, {
          ffmpegPath: this.config.media.ffmpegPath,
          timeoutMs: this.config.media.posterTimeoutMs ?? 30_000,
        });
        analysis = await analyzeImage(poster, { ...this.config.media, previewSize: PREVIEW_SIZE });
      } catch (error) {
        if (!(error instanceof PosterFrameError) && !(error instanceof InvalidPhotoError)) throw error;
        notes.push(`No poster frame: ${error instanceof PosterFrameError ? error.reason : error.reason}`);
      }
      return {
        mediaType: 'video',
        mimeType: VIDEO_MIME_TYPES[format],
        analysis,
        width: video.width ?? file.metadata?.width ?? null,
        height: video.height ?? file.metadata?.height ?? null,
        metadata: {
          takenAt: video.takenAt,
          takenAtSource: video.takenAtSource,
          timeZone: video.timeZone,
          latitude: video.latitude,
          longitude: video.longitude,
          cameraMake: video.cameraMake,
          cameraModel: video.cameraModel,
          orientation: null,
          notes,
        },
        contentHash: hash.hex,
        contentHashKind: 'sha256',
        byteSize: hash.bytes,
        durationMs: video.durationMs ?? file.metadata?.durationMs ?? null,
        originalKey,
        contentIdentifier: video.contentIdentifier,
      };
    } finally {
      await spilled?.release();
    }
  }

  private async store({ scanId, userId, sourceId, file }: IngestPayload, read: Read): Promise<number> {
    const { analysis, metadata } = read;
    let thumbnailKey: string | null = null;
    let previewKey: string | null = null;
    if (analysis) {
      thumbnailKey = storageKeys.thumbnail(userId, read.contentHash);
      if (!(await this.storage.exists(thumbnailKey))) await this.storage.put(thumbnailKey, analysis.thumbnail.data, 'image/webp');
      if (analysis.preview) {
        previewKey = storageKeys.preview(userId, read.contentHash);
        if (!(await this.storage.exists(previewKey))) await this.storage.put(previewKey, analysis.preview.data, 'image/webp');
      }
    }
    // A video is compared by its content hash only: the perceptual hash of its poster would pair it with photos.
    const perceptualHash = read.mediaType === 'photo' && analysis ? analysis.perceptualHash : null;
    return this.photos.upsertIngested({
      userId,
      sourceId,
      scanId,
      sourceFileId: file.fileId,
      fileName: file.name.slice(0, 255),
      mediaType: read.mediaType,
      durationMs: read.durationMs ?? null,
      mimeType: read.mimeType,
      byteSize: read.byteSize,
      width: read.width,
      height: read.height,
      contentHash: read.contentHash,
      contentHashKind: read.contentHashKind,
      perceptualHash,
      takenAt: metadata.takenAt,
      takenAtSource: metadata.takenAtSource,
      timeZone: metadata.timeZone,
      latitude: metadata.latitude,
      longitude: metadata.longitude,
      cameraMake: metadata.cameraMake?.slice(0, 100) ?? null,
      cameraModel: metadata.cameraModel?.slice(0, 100) ?? null,
      orientation: metadata.orientation,
      thumbnailKey,
      previewKey,
      originalKey: read.originalKey ?? null,
      contentIdentifier: read.contentIdentifier ?? null,
      blurPlaceholder: analysis?.placeholder ?? null,
      metadataNotes: metadata.notes.join(' ').slice(0, 500) || null,
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

/** The first bytes of the file (its format by content). */
async function headOf(input: Buffer | string): Promise<Buffer> {
  if (typeof input !== 'string') return input.subarray(0, HEAD_BYTES);
  const handle = await open(input, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
