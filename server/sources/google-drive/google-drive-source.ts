/**
 * A user's Google Drive as a PhotoSource. The first scan lists every image
 * (files.list) and returns a changes cursor taken *before* the listing; later
 * scans read only the changes since that cursor, so an unchanged library costs
 * one request and no per-photo work.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileLimits, Listing, ListingPage, OpenedFile, PhotoSource, SourceFile } from '../photo-source.js';
import { DriveClient, DriveRequestError, type DriveClientOptions } from './drive-client.js';
import { isImage, isLiveImage, toSourceFile } from './drive-file-mapping.js';
import type { DriveChange } from './drive-schemas.js';
import type { GoogleOAuthClient } from './oauth.js';
import { TEMP_FOLDER_PREFIX as DOWNLOAD_FOLDER_PREFIX, tempFile } from '../temp-file.js';

/**
 * Removes download folders a killed worker left behind (release never ran). Only
 * folders whose newest write is older than `maxAgeMs` go: a download in progress is
 * written all the time, and a finished one is read within minutes.
 */
export async function sweepDriveDownloads(maxAgeMs: number, parent = tmpdir(), now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(DOWNLOAD_FOLDER_PREFIX)) continue;
    const folder = join(parent, name);
    const [folderInfo, fileInfo] = await Promise.all([stat(folder).catch(() => null), stat(join(folder, 'download')).catch(() => null)]);
    const lastWrite = Math.max(folderInfo?.mtimeMs ?? 0, fileInfo?.mtimeMs ?? 0);
    if (!folderInfo?.isDirectory() || now - lastWrite < maxAgeMs) continue;
    await rm(folder, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

export class GoogleDriveSource implements PhotoSource {
  constructor(private readonly drive: DriveClient) {}

  list(cursor: string | null): Listing {
    return cursor === null ? this.listEverything() : this.listChangesSince(cursor);
  }

  /** A download streamed to a private temporary file (never held in memory), deleted on release or on any failure. */
  async openFile(fileId: string, { maxBytes }: FileLimits): Promise<OpenedFile> {
    const { path, release } = await tempFile();
    try {
      return { input: path, size: await this.drive.downloadTo(fileId, path, maxBytes), release };
    } catch (error) {
      await release();
      throw error;
    }
  }

  /** The link from the listing saves a request per photo; links expire after some hours, so a refusal gets a fresh one. */
  async readThumbnail({ fileId, metadata }: Parameters<PhotoSource['readThumbnail']>[0]): Promise<Buffer | null> {
    const listed = metadata?.thumbnailLink ? await this.drive.downloadThumbnail(metadata.thumbnailLink) : null;
    if (listed) return listed;
    const link = await this.drive.thumbnailLink(fileId);
    return link ? this.drive.downloadThumbnail(link) : null;
  }

  private async *listEverything(): Listing {
    // Taken first: a photo added while we page through the library is then seen by the next scan.
    const cursor = await this.drive.getStartPageToken();
    let pageToken: string | undefined;
    do {
      const page = await this.drive.listImages({ pageToken });
      yield { files: page.files.filter(isLiveImage).map(toSourceFile) };
      pageToken = page.nextPageToken;
    } while (pageToken);
    return cursor;
  }

  private async *listChangesSince(cursor: string): Listing {
    let pageToken = cursor;
    for (;;) {
      let page;
      try {
        page = await this.drive.listChanges({ pageToken });
      } catch (error) {
        // Google: a rejected token is to be discarded and the listing restarted. Ingest is idempotent, so a full pass is safe.
        if (error instanceof DriveRequestError && error.isInvalidPageToken) return yield* this.listEverything();
        throw error;
      }
      const listing = pageOfChanges(page.changes);
      if (listing.files.length > 0 || listing.removedFileIds.length > 0) yield listing;
      if (page.newStartPageToken) return page.newStartPageToken;
      pageToken = page.nextPageToken!;
    }
  }
}

/** New or edited images become files; trashed images and deleted or no-longer-shared files become removals; other files are ignored. */
export function pageOfChanges(changes: DriveChange[]): ListingPage & { removedFileIds: string[] } {
  const files: SourceFile[] = [];
  const removedFileIds: string[] = [];
  for (const change of changes) {
    if (!change.fileId) continue;
    // A removed change carries no file, so its type is unknown: reported, and ignored downstream if never ingested.
    if (change.removed || !change.file) removedFileIds.push(change.fileId);
    else if (isLiveImage(change.file)) files.push(toSourceFile(change.file));
    else if (change.file.trashed && isImage(change.file)) removedFileIds.push(change.fileId);
  }
  return { files, removedFileIds };
}

export interface GoogleDriveSourceOptions extends Omit<DriveClientOptions, 'accessToken'> {
  oauth: GoogleOAuthClient;
  /** The decrypted refresh token of the connected account. */
  refreshToken: string;
}

export function createGoogleDriveSource({ oauth, refreshToken, ...driveOptions }: GoogleDriveSourceOptions): GoogleDriveSource {
  return new GoogleDriveSource(new DriveClient({ ...driveOptions, accessToken: oauth.accessTokenProvider(refreshToken) }));
}
