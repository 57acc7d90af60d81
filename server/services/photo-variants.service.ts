import { UnrecoverableError } from 'bullmq';
import type { z } from 'zod';
import type { renderVariantsPayload } from '../../shared/jobs.js';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { InvalidPhotoError } from '../media/photo-errors.js';
import { renderVariants, VARIANT_WIDTHS, type VariantWidth } from '../media/variants.js';
import type { PhotoRepository } from '../repositories/photo.repository.js';
import { FileTooLargeError, SourceFileGoneError } from '../sources/photo-source.js';
import { storageKeys } from '../storage/storage-keys.js';
import type { ObjectStorage } from '../storage/storage.js';
import type { SourceService } from './source.service.js';

export type RenderVariantsPayload = z.output<typeof renderVariantsPayload>;

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
  ) {}

  async render({ userId, photoId }: RenderVariantsPayload, logger: Logger) {
    const photo = await this.photos.renditionSourceOf(userId, photoId);
    if (!photo || photo.status !== 'ready' || !photo.contentHash) return { outcome: 'gone' as const };
    if (!photo.starred) return { outcome: 'unstarred' as const };
    const prefix = storageKeys.variantsPrefix(userId, photo.contentHash);
    const missing: VariantWidth[] = [];
    for (const width of VARIANT_WIDTHS) {
      if (!(await this.storage.exists(storageKeys.variant(userId, photo.contentHash, width)))) missing.push(width);
    }
    if (missing.length) {
      let variants;
      try {
        const source = await this.sources.openForReading(userId, photo.sourceId);
        const original = await source.openFile(photo.sourceFileId, { maxBytes: this.config.ingest.maxFileBytes });
        try {
          variants = await renderVariants(original.input, this.config.media, missing);
        } finally {
          await original.release();
        }
      } catch (error) {
        // No retry brings back a deleted file, shrinks one over the limit or fixes an undecodable one.
        if (error instanceof InvalidPhotoError || error instanceof SourceFileGoneError || error instanceof FileTooLargeError) {
          throw new UnrecoverableError((error as Error).message);
        }
        throw error;
      }
      for (const variant of variants) {
        await this.storage.put(storageKeys.variant(userId, photo.contentHash, variant.width), variant.data, 'image/webp');
      }
    }
    if (photo.variantsKey !== prefix) await this.photos.setVariantsKey(userId, photoId, prefix);
    logger.info({ photoId, rendered: missing }, 'variants ready');
    return { outcome: 'rendered' as const, rendered: missing };
  }
}
