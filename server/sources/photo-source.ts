/**
 * One interface for every photo library a user can connect (local folder, browser
 * uploads, Google Drive). The scan job lists a source page by page; the ingest
 * job reads one file's bytes (or, for Drive, just its thumbnail).
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
  width?: number | null;
  height?: number | null;
  cameraMake?: string | null;
  cameraModel?: string | null;
  /** Hex md5 of the full file, when the source computed it. */
  md5?: string | null;
  /** A small rendition the source can serve (Drive thumbnailLink); read through readThumbnail. */
  hasThumbnail?: boolean;
  /** Where the source said that rendition was at listing time (short-lived; readThumbnail renews it if needed). */
  thumbnailLink?: string | null;
}

export interface ListingPage {
  files: SourceFile[];
  /** Files gone since the last scan (incremental sources only). */
  removedFileIds?: string[];
}

/** The listing ends by returning the cursor to store for the next, incremental scan (null: always list everything). */
export type Listing = AsyncGenerator<ListingPage, string | null, void>;

export interface PhotoSource {
  /** Pages of new or changed files since `cursor` (everything when cursor is null). */
  list(cursor: string | null): Listing;
  /** The whole file. Throws SourceFileGoneError when it no longer exists. */
  readFile(fileId: string): Promise<Buffer>;
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
