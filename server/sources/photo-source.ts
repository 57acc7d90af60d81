/**
 * One interface for every photo library a user can connect (local folder, browser
 * uploads, Google Drive). The scan job lists a source page by page; the ingest
 * job opens one file (or, for Drive, reads just its thumbnail).
 */

/** What a listing knows about one file, before any byte of it is read. */
export interface SourceFile {
  /** Stable id inside the source: a path relative to the folder root, an upload key, a Drive file id. At most 255 chars. */
  fileId: string;
  /** Display name only; never used to build a storage key or a path. */
  name: string;
  mimeType: string | null;
  size: number | null;
  modifiedAt: Date | null;
  /** Changes whenever the content changes (Drive md5, or size + mtime): a rescan skips files whose fingerprint is unchanged. */
  fingerprint: string;
  /** Metadata the source already has (Drive's imageMediaMetadata and md5Checksum), so most photos need no download. */
  metadata?: SourceFileMetadata;
}

export interface SourceFileMetadata {
  takenAt?: Date | null;
  latitude?: number | null;
  longitude?: number | null;
  /** Upright: already swapped when `rotation` turns the picture a quarter. */
  width?: number | null;
  height?: number | null;
  /** Clockwise quarter turns (0–3) that make the stored picture upright: its EXIF orientation as the source read it (Drive's `rotation`). */
  rotation?: number | null;
  cameraMake?: string | null;
  cameraModel?: string | null;
  /** A video's length, when the source knows it (Drive's videoMediaMetadata.durationMillis). */
  durationMs?: number | null;
  /** Hex md5 of the full file, when the source computed it. */
  md5?: string | null;
  /** A small rendition the source can serve (Drive thumbnailLink); read through readThumbnail. */
  hasThumbnail?: boolean;
  /** Where the source said that rendition was at listing time (short-lived; readThumbnail renews it if needed). */
  thumbnailLink?: string | null;
}

/**
 * Something the listing found but could not read (a folder it may not open, a path too long): the scan
 * records it as a failure with its reason, like a broken photo, and goes on with the rest.
 */
export interface UnreadableEntry {
  /** Unique in the library and at most 255 chars; a folder's ends with "/" so it never equals a file's. */
  id: string;
  name: string;
  reason: string;
}

export interface ListingPage {
  files: SourceFile[];
  /** Files gone since the last scan (incremental sources only). */
  removedFileIds?: string[];
  unreadable?: UnreadableEntry[];
}

/** The listing ends by returning the cursor to store for the next, incremental scan (null: always list everything). */
export type Listing = AsyncGenerator<ListingPage, string | null, void>;

export interface FileLimits {
  /** A larger file is refused with FileTooLargeError, before or while it is read, never read whole. */
  maxBytes: number;
  /**
   * The caller needs a path on this machine, never the bytes in memory (a video: read by seeking to its
   * index, copied to storage as a stream and decoded by ffmpeg). `input` is then always a string.
   */
  asFile?: boolean;
}

/**
 * A whole file, ready for sharp and exifr, which read either a path or bytes: a path
 * on this machine (a local file, a download streamed to a temporary file) keeps a large
 * file out of memory. Valid until release(), which every caller must reach.
 */
export interface OpenedFile {
  input: string | Buffer;
  size: number;
  release(): Promise<void>;
}

export interface PhotoSource {
  /** Pages of new or changed files since `cursor` (everything when cursor is null). */
  list(cursor: string | null): Listing;
  /** The whole file. Throws SourceFileGoneError when it no longer exists, FileTooLargeError past the limit. */
  openFile(fileId: string, limits: FileLimits): Promise<OpenedFile>;
  /** The key of the file's bytes in our own storage, when the source keeps them there (uploads): a download link needs no copy. */
  storedOriginalKey?(fileId: string): Promise<string | null>;
  /** A small rendition (at least ~200 px on the long side) when the source has one, else null. */
  readThumbnail(file: Pick<SourceFile, 'fileId'> & { metadata?: Pick<SourceFileMetadata, 'thumbnailLink'> }): Promise<Buffer | null>;
}

/** The file disappeared between listing and reading: recorded as failed with this reason, never retried. */
export class SourceFileGoneError extends Error {
  constructor(fileId: string) {
    super(`The file is no longer in the library (${fileId})`);
    this.name = 'SourceFileGoneError';
  }
}

/** Over INGEST_MAX_FILE_MB: recorded as failed with this reason, never retried. */
export class FileTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`Larger than the ${Math.round(maxBytes / (1024 * 1024))} MB limit`);
    this.name = 'FileTooLargeError';
  }
}

/** Bytes a source already holds in memory (uploads), checked against the limit like any other file. */
export function inMemoryFile(bytes: Buffer, { maxBytes }: FileLimits): OpenedFile {
  if (bytes.length > maxBytes) throw new FileTooLargeError(maxBytes);
  return { input: bytes, size: bytes.length, release: async () => {} };
}

/** A temporary problem with the source (rate limit, 5xx, network): the job retries with backoff. */
export class SourceUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SourceUnavailableError';
  }
}

/** The source refuses us for good (revoked grant, deleted folder): the scan fails with this reason. */
export class SourceAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceAccessError';
  }
}
