import type { UploadRepository } from '../repositories/upload.repository.js';
import { storageKeys } from '../storage/storage-keys.js';
import type { ObjectStorage } from '../storage/storage.js';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { tempFile } from './temp-file.js';
import {
  FileTooLargeError,
  SourceFileGoneError,
  inMemoryFile,
  type FileLimits,
  type Listing,
  type OpenedFile,
  type PhotoSource,
} from './photo-source.js';

const PAGE_SIZE = 500;
const FILE_ID = /^upload-(\d+)$/;

/** Photos uploaded from the browser: listed from the uploads table, bytes read from storage. */
export class UploadSource implements PhotoSource {
  constructor(
    private readonly uploads: UploadRepository,
    private readonly storage: ObjectStorage,
    private readonly userId: number,
    private readonly sourceId: number,
  ) {}

  async *list(): Listing {
    let afterId = 0;
    for (;;) {
      const rows = await this.uploads.page(this.userId, this.sourceId, afterId, PAGE_SIZE);
      if (!rows.length) return null;
      afterId = rows[rows.length - 1]!.id;
      yield {
        files: rows.map((row) => ({
          fileId: `upload-${row.id}`,
          name: row.fileName,
          mimeType: row.mimeType,
          size: row.byteSize,
          modifiedAt: row.createdAt,
          fingerprint: row.storageId,
        })),
      };
    }
  }

  async openFile(fileId: string, limits: FileLimits): Promise<OpenedFile> {
    const id = FILE_ID.exec(fileId)?.[1];
    const row = id ? await this.uploads.find(this.userId, this.sourceId, Number(id)) : null;
    if (row && limits.asFile) return this.toTempFile(fileId, storageKeys.upload(this.userId, this.sourceId, row.storageId), limits.maxBytes);
    const bytes = row ? await this.storage.read(storageKeys.upload(this.userId, this.sourceId, row.storageId)) : null;
    if (!bytes) throw new SourceFileGoneError(fileId);
    return inMemoryFile(bytes, limits);
  }

  async storedOriginalKey(fileId: string): Promise<string | null> {
    const id = FILE_ID.exec(fileId)?.[1];
    const row = id ? await this.uploads.find(this.userId, this.sourceId, Number(id)) : null;
    return row ? storageKeys.upload(this.userId, this.sourceId, row.storageId) : null;
  }

  /** The stored upload streamed to a private temporary file (a video: never held in memory), within the limit. */
  private async toTempFile(fileId: string, key: string, maxBytes: number): Promise<OpenedFile> {
    const object = await this.storage.get(key);
    if (!object) throw new SourceFileGoneError(fileId);
    if (object.size > maxBytes) {
      object.body.destroy();
      throw new FileTooLargeError(maxBytes);
    }
    const { path, release } = await tempFile();
    try {
      await pipeline(object.body, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
      return { input: path, size: object.size, release };
    } catch (error) {
      await release();
      throw error;
    }
  }

  async readThumbnail(): Promise<Buffer | null> {
    return null;
  }
}
