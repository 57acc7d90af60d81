/**
 * Taking a photo library away, one of two ways the user chooses:
 * - disconnect: the history stays (photos, concerts, duplicate reviews); the library is never scanned again,
 *   its rescan schedule goes and a Drive library's refresh token is deleted. Adding the same folder or account
 *   again brings it back.
 * - remove: the library and its photos go: their thumbnails and variants (unless another photo of the user has
 *   the same file), an upload library's uploaded bytes, its scans and sync state, and the concerts found in its
 *   photos alone. Concerts that also hold photos of other libraries stay, with those.
 * Either way scans of the library still running are cancelled first, so no job of theirs writes afterwards.
 */
import { noCacheInvalidation, type UserCacheInvalidator } from '../cache/versioned-cache.js';
import type { JobSchedulers } from '../queue/job-sender.js';
import type { LibraryRemovalRepository } from '../repositories/library-removal.repository.js';
import type { SourceRepository } from '../repositories/source.repository.js';
import { storageKeys } from '../storage/storage-keys.js';
import type { ObjectStorage } from '../storage/storage.js';
import type { AccessService } from './access.js';
import type { ScanService } from './scan.service.js';
import type { SourceService } from './source.service.js';

export const LIBRARY_REMOVAL_MODES = ['disconnect', 'remove'] as const;
export type LibraryRemovalMode = (typeof LIBRARY_REMOVAL_MODES)[number];

export interface LibraryRemoval {
  mode: LibraryRemovalMode;
  /** Photos deleted (0 when disconnecting). */
  photos: number;
  /** Concerts deleted because no photo was left in them. */
  concerts: number;
  /** Objects deleted from storage: thumbnails, variants, uploaded files. */
  storageObjects: number;
}

/** Storage deletions in flight at once. */
const DELETE_CONCURRENCY = 16;

export class LibraryRemovalService {
  constructor(
    private readonly access: Pick<AccessService, 'requireOwned'>,
    private readonly sources: Pick<SourceRepository, 'markDisconnected' | 'delete'>,
    private readonly libraries: Pick<SourceService, 'forgetOpened'>,
    private readonly removal: LibraryRemovalRepository,
    private readonly scans: Pick<ScanService, 'cancel'>,
    private readonly schedulers: Pick<JobSchedulers, 'removeScheduler'>,
    private readonly storage: ObjectStorage,
    private readonly cache: UserCacheInvalidator = noCacheInvalidation,
  ) {}

  async disconnect(userId: number, sourceId: number): Promise<LibraryRemoval> {
    await this.stop(userId, sourceId);
    await this.sources.markDisconnected(userId, sourceId);
    this.libraries.forgetOpened(userId, sourceId);
    await this.cache.bumpUser(userId);
    return { mode: 'disconnect', photos: 0, concerts: 0, storageObjects: 0 };
  }

  async remove(userId: number, sourceId: number): Promise<LibraryRemoval> {
    await this.stop(userId, sourceId);
    // The row first: nothing starts a scan of it or uploads into it any more (the worker's open() fails).
    await this.sources.delete(userId, sourceId);
    this.libraries.forgetOpened(userId, sourceId);

    const concertIds = new Set<number>();
    const groupIds = new Set<number>();
    const keys = new Set<string>();
    let photos = 0;
    for (let afterId = 0; ; ) {
      const page = await this.removal.photosPage(userId, sourceId, afterId);
      if (!page.length) break;
      for (const photo of page) {
        if (photo.concertId !== null) concertIds.add(photo.concertId);
        if (photo.duplicateGroupId !== null) groupIds.add(photo.duplicateGroupId);
        if (photo.thumbnailKey) keys.add(photo.thumbnailKey);
        if (photo.variantsKey) keys.add(photo.variantsKey);
      }
      photos += await this.removal.deletePhotos(
        userId,
        page.map((photo) => photo.id),
      );
      afterId = page.at(-1)!.id;
    }
    const concerts = await this.removal.deleteConcertsLeftEmpty(userId, [...concertIds]);
    await this.removal.settleGroups(userId, [...groupIds]);
    await this.removal.deleteLibraryRecords(userId, sourceId);
    await this.cache.bumpUser(userId);

    const used = await this.removal.keysStillUsed(userId, [...keys]);
    let storageObjects = 0;
    for (const key of keys) {
      if (used.has(key)) continue;
      // A variants key names a folder of renditions; a thumbnail key one object.
      storageObjects += key.endsWith('/') ? await this.deletePrefix(key) : await this.deleteObject(key);
    }
    storageObjects += await this.deletePrefix(storageKeys.uploadsPrefix(userId, sourceId));
    return { mode: 'remove', photos, concerts, storageObjects };
  }

  /** Owned, then no scan of it running and no rescan scheduled. */
  private async stop(userId: number, sourceId: number) {
    await this.access.requireOwned('source', userId, sourceId);
    for (const scanId of await this.removal.activeScanIds(userId, sourceId)) await this.scans.cancel(userId, scanId);
    await this.schedulers.removeScheduler('rescan-source', { userId, sourceId });
  }

  private async deleteObject(key: string): Promise<number> {
    await this.storage.delete(key);
    return 1;
  }

  private async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    for await (const page of this.storage.list(prefix)) {
      for (let i = 0; i < page.length; i += DELETE_CONCURRENCY) {
        await Promise.all(page.slice(i, i + DELETE_CONCURRENCY).map((object) => this.storage.delete(object.key)));
      }
      deleted += page.length;
    }
    return deleted;
  }
}
