import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import busboy from 'busboy';
import type { AppConfig } from '../config.js';
import { ValidationError } from '../errors.js';
import type { UploadRepository } from '../repositories/upload.repository.js';
import { storageKeys } from '../storage/storage-keys.js';
import type { ObjectStorage } from '../storage/storage.js';
import type { SourceService } from './source.service.js';

const ACCEPTED_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'image/avif', 'image/tiff']);
const ACCEPTED_EXTENSIONS = /\.(jpe?g|png|webp|heic|heif|avif|tiff?)$/i;

export interface UploadResult {
  sourceId: number;
  accepted: Array<{ name: string; fileId: string }>;
  refused: Array<{ name: string; reason: string }>;
}

/** Display names are cleaned for the UI; they never reach a storage key. */
function displayName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (clean || 'unnamed photo').slice(0, 255);
}

/**
 * Streams a multipart upload straight to storage, file by file, under random
 * keys; nothing is held in memory. Refused files get a reason; accepted ones are
 * read by the next scan of the user's upload library.
 */
export class UploadService {
  constructor(
    private readonly sources: SourceService,
    private readonly uploads: UploadRepository,
    private readonly storage: ObjectStorage,
    private readonly config: Pick<AppConfig, 'imports'>,
  ) {}

  async receive(userId: number, headers: IncomingHttpHeaders, body: Readable): Promise<UploadResult> {
    if (!headers['content-type']?.startsWith('multipart/form-data')) throw new ValidationError('Send the photos as multipart/form-data');
    const { maxUploadBytes, maxUploadFiles } = this.config.imports;
    const sourceId = await this.sources.uploadSourceOf(userId);
    const result: UploadResult = { sourceId, accepted: [], refused: [] };
    const pending: Array<Promise<void>> = [];

    await new Promise<void>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({ headers, limits: { fileSize: maxUploadBytes, files: maxUploadFiles, fields: 10 } });
      } catch (error) {
        reject(new ValidationError(`Malformed upload: ${(error as Error).message}`));
        return;
      }
      parser.on('file', (_field, stream, info) => {
        const name = displayName(info.filename);
        if (!ACCEPTED_TYPES.has(info.mimeType) && !ACCEPTED_EXTENSIONS.test(name)) {
          result.refused.push({ name, reason: `Not a supported photo type (${info.mimeType || 'unknown type'})` });
          stream.resume();
          return;
        }
        pending.push(this.storeOne(userId, sourceId, name, info.mimeType, stream, maxUploadBytes, result));
      });
      parser.on('filesLimit', () =>
        result.refused.push({ name: '(the rest)', reason: `At most ${maxUploadFiles} photos per upload` }),
      );
      parser.on('error', (error: Error) => reject(new ValidationError(`Malformed upload: ${error.message}`)));
      parser.on('close', () => resolve());
      body.pipe(parser);
    });
    await Promise.all(pending);
    return result;
  }

  private async storeOne(
    userId: number, sourceId: number, name: string, mimeType: string, stream: Readable, maxBytes: number, result: UploadResult,
  ) {
    const storageId = randomUUID();
    const key = storageKeys.upload(userId, sourceId, storageId);
    let size = 0;
    // Counted inside the pipe: a 'data' listener would start the flow before storage is ready and drop bytes.
    const counted = stream.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      }),
    );
    try {
      await this.storage.put(key, counted, mimeType);
    } catch (error) {
      await this.storage.delete(key);
      result.refused.push({ name, reason: `Could not be stored: ${(error as Error).message}` });
      return;
    }
    // busboy cuts a file at the size limit and flags the stream as truncated.
    if ((stream as Readable & { truncated?: boolean }).truncated) {
      await this.storage.delete(key);
      result.refused.push({ name, reason: `Larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit` });
      return;
    }
    if (size === 0) {
      await this.storage.delete(key);
      result.refused.push({ name, reason: 'The file is empty' });
      return;
    }
    const id = await this.uploads.insert({ userId, sourceId, storageId, fileName: name, mimeType, byteSize: size });
    result.accepted.push({ name, fileId: `upload-${id}` });
  }
}
