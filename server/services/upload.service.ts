import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { AppConfig } from '../config.js';
import { DomainError, RateLimitedError, ValidationError } from '../errors.js';
import { PHOTO_FORMATS, sniffImageFormat, type SniffedFormat } from '../media/image-format.js';
import { sniffVideoFormat, VIDEO_MIME_TYPES } from '../media/video-format.js';
import type { UploadRepository } from '../repositories/upload.repository.js';
import type { UploadTempFiles } from '../repositories/upload-temp-files.js';
import { AccountDeletedError, type UploadLease, type UploadLimits } from '../rate-limit/upload-limits.js';
import { storageKeys } from '../storage/storage-keys.js';
import type { ObjectStorage } from '../storage/storage.js';
import type { SourceService } from './source.service.js';

const ACCEPTED_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'image/heif',
  'image/avif',
  'image/tiff',
  'video/quicktime',
  'video/mp4',
  'video/x-m4v',
]);
const ACCEPTED_EXTENSIONS = /\.(jpe?g|png|webp|heic|heif|avif|tiff?|mov|mp4|m4v)$/i;
/** Enough of a file's start to tell a video by its ftyp box (brands within its first 256 bytes). */
const VIDEO_SNIFF_BYTES = 256;
/** The start of each file kept while it streams in: enough to tell its format by its bytes (an SVG within its first 1 kB). */
const HEAD_BYTES = 4096;
const SUPPORTED = 'JPEG, PNG, WebP, TIFF, AVIF, HEIC, MOV, MP4';
/** How long account deletion waits for this server's uploads of the user to stop before removing their files regardless. */
const STOP_WAIT_MS = 10_000;

export interface UploadResult {
  sourceId: number;
  accepted: Array<{ name: string; fileId: string }>;
  refused: Array<{ name: string; reason: string }>;
}

/** The user's uploads already fill UPLOAD_QUOTA_MB: nothing more is taken. */
export class UploadQuotaExceededError extends DomainError {}

/** Where the service logs what the user is not told (storage errors); the request's logger. */
export interface UploadLog {
  warn(details: object, message: string): void;
}

/**
 * Why a file whose first bytes say `format` is refused at the door, before it is stored, or null for a photo
 * format (which ingest then reads in full: a damaged or oversized photo fails there, with its reason). The
 * name and the type the browser claims are not trusted: a text file named .jpg is still text.
 */
function formatRefusal(format: SniffedFormat, video: boolean): string | null {
  if (video || (PHOTO_FORMATS as readonly string[]).includes(format)) return null;
  if (format === 'svg') return `SVG drawings are not supported, only photos (${SUPPORTED}): not stored`;
  if (format === 'gif') return `GIF images are not supported, only photos (${SUPPORTED}): not stored`;
  return `Not a photo: its content is not an image (supported: ${SUPPORTED}), so it was not stored`;
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
const minutes = (ms: number) => `${Math.max(1, Math.ceil(ms / 60_000))} min`;

/**
 * Display names are cleaned for the UI; they never reach a storage key. Browsers
 * send UTF-8 names (decoded as such, see defParamCharset); macOS sends them
 * decomposed, kept here composed. Controls and bidi overrides, which could make
 * "gpj.exe" read as "exe.jpg", are dropped.
 */
function displayName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base
    .normalize('NFC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping C0/C1 control characters from file names is this regex's purpose.
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim();
  // By code points: cutting between the halves of an emoji would leave text the database refuses.
  return Array.from(clean || 'unnamed photo')
    .slice(0, 255)
    .join('');
}

/** What this upload may still take: the quota and the hour's bytes, spent file by file. */
interface Budget {
  quotaLeft: number;
  quotaBytes: number | null;
  hourLeft: number;
  hourlyRetryAfterMs: number;
}

interface Upload {
  userId: number;
  sourceId: number;
  lease: UploadLease;
  budget: Budget;
  /** Each file's outcome at its place in the form, so the answer lists them in the order they were sent. */
  outcomes: Array<{ accepted: { name: string; fileId: string } } | { refused: { name: string; reason: string } }>;
  log: UploadLog;
}

const silentLog: UploadLog = { warn: () => {} };

/**
 * Receives a multipart upload file by file: each photo is written to a temp file
 * of the user's on this server's disk, checked (type, size, quota, hourly bytes),
 * then put into storage under a random key and recorded; the next scan of the
 * user's upload library reads it. Every way out (finished, refused, the client
 * gone, storage down, a malformed body, the account deleted) closes and deletes
 * the temp file; nothing is held in memory.
 */
export class UploadService {
  /** This server's uploads in flight, per user, so account deletion can stop them. */
  private readonly running = new Map<number, Set<{ stop(reason: Error): void; done: Promise<unknown> }>>();

  constructor(
    private readonly sources: SourceService,
    private readonly uploads: UploadRepository,
    private readonly storage: ObjectStorage,
    private readonly tempFiles: UploadTempFiles,
    private readonly limits: UploadLimits,
    private readonly config: Pick<AppConfig, 'imports'>,
  ) {}

  async receive(userId: number, headers: IncomingHttpHeaders, body: Readable, log: UploadLog = silentLog): Promise<UploadResult> {
    if (!headers['content-type']?.startsWith('multipart/form-data')) throw new ValidationError('Send the photos as multipart/form-data');
    const lease = await this.limits.startUpload(userId);
    const stopper = new AbortController();
    lease.onLost(() => stopper.abort(new AccountDeletedError()));
    const done = this.receiveUnderLease(userId, headers, body, lease, stopper.signal, log);
    const entry = { stop: (reason: Error) => stopper.abort(reason), done };
    this.track(userId, entry);
    try {
      return await done;
    } finally {
      this.untrack(userId, entry);
      await lease.release();
    }
  }

  /**
   * Account deletion: stops this user's uploads everywhere (their lease is revoked in
   * Redis; other servers notice within seconds), waits for this server's to let go
   * of their files, and removes the user's temp folder here.
   */
  async stopAllOf(userId: number): Promise<void> {
    await this.limits.endUploadsOf(userId);
    const entries = [...(this.running.get(userId) ?? [])];
    for (const entry of entries) entry.stop(new AccountDeletedError());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)));
    await Promise.race([Promise.allSettled(entries.map((entry) => entry.done)), timeout]);
    clearTimeout(timer);
    await this.tempFiles.removeUser(userId);
  }

  /** Temp files a crashed server left; see upload-temp-sweeper.ts. */
  sweepTempFiles(olderThanMs: number): Promise<number> {
    return this.tempFiles.sweep(olderThanMs);
  }

  private track(userId: number, entry: { stop(reason: Error): void; done: Promise<unknown> }) {
    const entries = this.running.get(userId) ?? new Set();
    entries.add(entry);
    this.running.set(userId, entries);
  }

  private untrack(userId: number, entry: { stop(reason: Error): void; done: Promise<unknown> }) {
    const entries = this.running.get(userId);
    entries?.delete(entry);
    if (entries?.size === 0) this.running.delete(userId);
  }

  private async receiveUnderLease(
    userId: number,
    headers: IncomingHttpHeaders,
    body: Readable,
    lease: UploadLease,
    stop: AbortSignal,
    log: UploadLog,
  ): Promise<UploadResult> {
    const budget = await this.budgetOf(userId);
    const sourceId = await this.sources.uploadSourceOf(userId);
    const upload: Upload = { userId, sourceId, lease, budget, outcomes: [], log };
    const files: Array<Promise<void>> = [];
    let failure: unknown = null;
    try {
      await this.parse(upload, headers, body, stop, files, (error) => (failure ??= error));
    } catch (error) {
      failure ??= error;
    }
    // Each file's task closes and deletes its temp file before it settles.
    await Promise.allSettled(files);
    if (failure) throw failure;
    const result: UploadResult = { sourceId, accepted: [], refused: [] };
    for (const outcome of upload.outcomes) {
      if ('accepted' in outcome) result.accepted.push(outcome.accepted);
      else result.refused.push(outcome.refused);
    }
    return result;
  }

  private async budgetOf(userId: number): Promise<Budget> {
    const { uploadQuotaBytes: quotaBytes, uploadBytesPerHour } = this.config.imports;
    let quotaLeft = Number.POSITIVE_INFINITY;
    if (quotaBytes !== null) {
      const used = await this.uploads.totalBytes(userId);
      quotaLeft = quotaBytes - used;
      if (quotaLeft <= 0) {
        throw new UploadQuotaExceededError(`Your uploaded photos use ${mb(used)} of your ${mb(quotaBytes)} upload quota, so no more can be uploaded`);
      }
    }
    const hourly = await this.limits.hourlyBytes(userId);
    if (hourly.left !== null && hourly.left <= 0) {
      throw new RateLimitedError(
        `You can upload ${mb(uploadBytesPerHour!)} an hour; try again in ${minutes(hourly.retryAfterMs)}`,
        Math.max(1, Math.ceil(hourly.retryAfterMs / 1000)),
      );
    }
    return { quotaLeft, quotaBytes, hourLeft: hourly.left ?? Number.POSITIVE_INFINITY, hourlyRetryAfterMs: hourly.retryAfterMs };
  }

  /** Resolves when the form has been read to its end; rejects when it is malformed, cut off or stopped. */
  private parse(
    upload: Upload,
    headers: IncomingHttpHeaders,
    body: Readable,
    stop: AbortSignal,
    files: Array<Promise<void>>,
    fail: (error: unknown) => void,
  ): Promise<void> {
    const { maxUploadBytes, maxUploadFiles } = this.config.imports;
    // Videos may be larger than photos: busboy cuts at the larger cap, each file is held to its own kind's (receiveFile).
    const fileSize = Math.max(maxUploadBytes, this.config.imports.maxUploadVideoBytes ?? 0);
    let received: Promise<void> = Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        // Browsers send file names as raw UTF-8; busboy's default would read them as latin1.
        parser = busboy({ headers, defParamCharset: 'utf8', limits: { fileSize, files: maxUploadFiles, fields: 10 } });
      } catch (error) {
        reject(new ValidationError(`Malformed upload: ${(error as Error).message}`));
        return;
      }
      // Destroying the parser destroys the file stream it is filling, which fails that file's pipeline:
      // its temp file is closed and deleted, and no 'file' event comes after.
      const abort = (reason: Error) => {
        body.unpipe(parser);
        parser.destroy(reason);
      };
      const cutOff = () => abort(new ValidationError('The upload was cut off before its end; nothing of the unfinished photo was kept'));

      parser.on('file', (_field, stream, info) => {
        const name = displayName(info.filename);
        if (!ACCEPTED_TYPES.has(info.mimeType) && !ACCEPTED_EXTENSIONS.test(name)) {
          upload.outcomes.push({ refused: { name, reason: `Not a supported photo type (${info.mimeType || 'unknown type'})` } });
          stream.resume();
          return;
        }
        // One file is received after the other (busboy waits meanwhile), so each starts with what the ones before it spent;
        // storing a received file overlaps with receiving the next.
        const previous = received;
        let done!: () => void;
        received = new Promise<void>((resolve) => (done = resolve));
        files.push(
          this.receiveFile(upload, name, info.mimeType, stream, previous, done).catch((error: unknown) => {
            // Not a refusal of this file (those are answered) but the disk, the database or a stop: the upload ends here.
            fail(error);
            abort(error instanceof Error ? error : new Error(String(error)));
          }),
        );
      });
      parser.on('filesLimit', () => upload.outcomes.push({ refused: { name: '(the rest)', reason: `At most ${maxUploadFiles} photos per upload` } }));
      parser.on('error', (error: Error) => reject(error instanceof DomainError ? error : new ValidationError(`Malformed upload: ${error.message}`)));
      parser.on('close', () => resolve());

      // With every listener in place: the account may have been deleted, or the client gone, while the quota was read.
      if (stop.aborted) return void abort(stop.reason as Error);
      if (body.destroyed && !body.readableEnded) return void cutOff();
      stop.addEventListener('abort', () => abort(stop.reason as Error), { once: true });
      body.once('close', () => {
        if (!body.readableEnded) cutOff();
      });
      body.on('error', () => {
        // A client that went away: handled by 'close'.
      });
      body.pipe(parser);
    });
  }

  private async receiveFile(
    upload: Upload,
    name: string,
    mimeType: string,
    stream: Readable,
    previousReceived: Promise<void>,
    received: () => void,
  ): Promise<void> {
    const { userId, sourceId, budget, outcomes } = upload;
    const place = outcomes.push({ refused: { name, reason: 'Not received' } }) - 1;
    const refuse = (reason: string) => {
      outcomes[place] = { refused: { name, reason } };
    };
    let temp: Awaited<ReturnType<UploadTempFiles['create']>> | null = null;
    try {
      await previousReceived;
      const cap = Math.min(budget.quotaLeft, budget.hourLeft);
      const { maxUploadBytes } = this.config.imports;
      const maxVideoBytes = Math.max(maxUploadBytes, this.config.imports.maxUploadVideoBytes ?? 0);
      let size = 0;
      let overBudget = false;
      /** Past its kind's cap (a photo over maxUploadBytes, told by its first bytes): the rest is dropped. */
      let overSize = false;
      let video: boolean | null = null;
      const head: Buffer[] = [];
      let headBytes = 0;
      let storedType = mimeType;
      const kindOfHead = () => (video ??= sniffVideoFormat(Buffer.concat(head)) !== null);
      temp = await this.tempFiles.create(userId);
      // Past the budget the rest of the file is read and dropped, as busboy does past the size limit,
      // so the next file of the form can still be read (and refused with its reason).
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          if (headBytes < HEAD_BYTES) {
            head.push(chunk.subarray(0, HEAD_BYTES - headBytes));
            headBytes += Math.min(chunk.length, HEAD_BYTES - headBytes);
          }
          size += chunk.length;
          if (size > cap) overBudget = true;
          if (headBytes >= VIDEO_SNIFF_BYTES && size > (kindOfHead() ? maxVideoBytes : maxUploadBytes)) overSize = true;
          done(null, overBudget || overSize ? undefined : chunk);
        },
      });
      try {
        await pipeline(stream, counter, temp.writer);
        // busboy cuts a file at the size limit and flags the stream as truncated.
        const isVideo = kindOfHead();
        const limit = isVideo ? maxVideoBytes : maxUploadBytes;
        if ((stream as Readable & { truncated?: boolean }).truncated || overSize || size > limit) {
          return refuse(`Larger than the ${Math.round(limit / 1024 / 1024)} MB limit`);
        }
        if (overBudget) return refuse(this.overBudgetReason(budget));
        if (size === 0) return refuse('The file is empty');
        const refusal = formatRefusal(sniffImageFormat(Buffer.concat(head)), isVideo);
        if (refusal) return refuse(refusal);
        // The type by content, not the browser's: ingest opens a video as a file, never reading it into memory.
        if (isVideo) storedType = VIDEO_MIME_TYPES[sniffVideoFormat(Buffer.concat(head))!];
        budget.quotaLeft -= size;
        budget.hourLeft -= size;
      } finally {
        received();
      }

      const storageId = randomUUID();
      const key = storageKeys.upload(userId, sourceId, storageId);
      const reader = this.tempFiles.reader(temp.path);
      try {
        await this.storage.put(key, reader, storedType);
      } catch (error) {
        upload.log.warn({ err: error, userId, key }, 'an uploaded photo could not be stored');
        await this.storage.delete(key).catch(() => {});
        budget.quotaLeft += size;
        budget.hourLeft += size;
        return refuse('Could not be stored just now; please upload it again later');
      } finally {
        // A storage that failed before reading to the end would leave the file open.
        reader.destroy();
      }
      const id = await this.uploads.insert({ userId, sourceId, storageId, fileName: name, mimeType: storedType, byteSize: size });
      // Account deletion revokes the lease before it deletes rows and objects: a file recorded after
      // that is taken back here, one recorded before it is deleted there.
      if (!(await upload.lease.stillHeld())) {
        await this.uploads.delete(userId, id);
        await this.storage.delete(key);
        throw new AccountDeletedError();
      }
      await this.limits.countBytes(userId, size);
      outcomes[place] = { accepted: { name, fileId: `upload-${id}` } };
    } finally {
      received();
      if (temp) {
        temp.writer.destroy();
        await this.tempFiles.remove(temp.path);
      }
    }
  }

  private overBudgetReason(budget: Budget): string {
    if (budget.quotaLeft <= budget.hourLeft && budget.quotaBytes !== null) {
      return `Over your upload quota of ${mb(budget.quotaBytes)}: not stored`;
    }
    return `Over the ${mb(this.config.imports.uploadBytesPerHour ?? 0)} you can upload an hour: not stored; try again in ${minutes(budget.hourlyRetryAfterMs)}`;
  }
}
