import type { JobPayload } from '../../shared/jobs.js';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { InvalidPhotoError } from '../media/photo-errors.js';
import { done, failed, skipped, type Outcome } from '../outcome.js';
import { renderVariants, VARIANT_WIDTHS, type VariantWidth } from '../media/variants.js';
import type { PhotoRepository } from '../repositories/photo.repository.js';
import { FileTooLargeError, SourceFileGoneError } from '../sources/photo-source.js';
import { storageKeys, type OriginalExtension } from '../storage/storage-keys.js';
import { sniffImageFormat } from '../media/image-format.js';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ObjectStorage } from '../storage/storage.js';
import type { SourceService } from './source.service.js';
import { noCacheInvalidation, type UserCacheInvalidator } from '../cache/versioned-cache.js';
import { viewTags } from '../cache/view-versions.js';

export type RenderVariantsPayload = JobPayload<'render-variants'>;

/**
 * The `image` job: a starred photo's variants, rendered from its original (read
 * again from its library: Drive, a folder, an upload). Keys are content-addressed,
 * so running it again rewrites nothing that exists, and identical photos share them.
 */
export class PhotoVariantsService {
  constructor(
    private readonly photos: PhotoRepository,
    private readonly sources: SourceService,
    private readonly storage: ObjectStorage,
    private readonly config: Pick<AppConfig, 'media' | 'ingest'>,
    private readonly cache: UserCacheInvalidator = noCacheInvalidation,
  ) {}

  async render({ userId, photoId }: RenderVariantsPayload, logger: Logger): Promise<Outcome<{ rendered: number[] }>> {
    const photo = await this.photos.renditionSourceOf(userId, photoId);
    if (photo?.status !== 'ready' || !photo.contentHash) return skipped('gone');
    if (!photo.starred) return skipped('unstarred');
    // A starred video renders nothing: it is played from its original, which is kept already.
    if (photo.mediaType === 'video') return skipped('video');
    const prefix = storageKeys.variantsPrefix(userId, photo.contentHash);
    const missing: VariantWidth[] = [];
    for (const width of VARIANT_WIDTHS) {
      if (!(await this.storage.exists(storageKeys.variant(userId, photo.contentHash, width)))) missing.push(width);
    }
    // Starring keeps the original too, for the lightbox's download link (an upload's is in storage already).
    let originalKey: string | undefined;
    const keepOriginal = !photo.originalKey;
    if (missing.length || keepOriginal) {
      let variants;
      try {
        const source = await this.sources.openForReading(userId, photo.sourceId);
        const original = await source.openFile(photo.sourceFileId, { maxBytes: this.config.ingest.maxFileBytes });
        try {
          variants = missing.length ? await renderVariants(original.input, this.config.media, missing) : [];
          if (keepOriginal) originalKey = await this.keepOriginal(userId, photo.contentHash, original.input);
        } finally {
          await original.release();
        }
      } catch (error) {
        // No retry brings back a deleted file, shrinks one over the limit or fixes an undecodable one.
        if (error instanceof InvalidPhotoError || error instanceof SourceFileGoneError || error instanceof FileTooLargeError) {
          return failed((error as Error).message);
        }
        throw error;
      }
      for (const variant of variants) {
        await this.storage.put(storageKeys.variant(userId, photo.contentHash, variant.width), variant.data, 'image/webp');
      }
    }
    if (photo.variantsKey !== prefix || originalKey) {
      await this.photos.setVariantsKey(userId, photoId, prefix, originalKey);
      // The grid's srcset now has the variants.
      await this.cache.bump(userId, [viewTags.photos(photo.concertId)]);
    }
    logger.info({ photoId, rendered: missing }, 'variants ready');
    return done({ rendered: missing });
  }

  /**
   * The original's bytes under a content-addressed key (the hash the row was ingested with; a Drive photo's
   * is Drive's md5), its extension from its content. A format we do not name is not kept.
   */
  private async keepOriginal(userId: number, contentHash: string, input: Buffer | string): Promise<string | undefined> {
    const head = typeof input === 'string' ? await readHead(input) : input.subarray(0, 4096);
    const extension = ORIGINAL_EXTENSION_OF[sniffImageFormat(head)];
    if (!extension) return undefined;
    const key = storageKeys.original(userId, contentHash, extension);
    if (!(await this.storage.exists(key))) {
      await this.storage.put(key, typeof input === 'string' ? createReadStream(input) : input, ORIGINAL_CONTENT_TYPES[extension]);
    }
    return key;
  }
}

const ORIGINAL_EXTENSION_OF: Partial<Record<string, OriginalExtension>> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  tiff: 'tif',
  avif: 'avif',
  heic: 'heic',
};
const ORIGINAL_CONTENT_TYPES: Record<OriginalExtension, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  tif: 'image/tiff',
  avif: 'image/avif',
  heic: 'image/heic',
  mov: 'video/quicktime',
  mp4: 'video/mp4',
};

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
