import { NotFoundError } from '../errors.js';
import type { DuplicateGroupRepository } from '../repositories/duplicate-group.repository.js';
import type { MediaUrls } from '../media/media-urls.js';
import { presentPhoto } from '../media/photo-media.js';
import type { AccessService } from './access.js';
import { noCacheInvalidation, type UserCacheInvalidator } from '../cache/versioned-cache.js';

/** The user's review of duplicate groups and bursts. */
export class DuplicateService {
  constructor(
    private readonly access: AccessService,
    private readonly groups: DuplicateGroupRepository,
    private readonly mediaUrls: MediaUrls,
    private readonly cache: UserCacheInvalidator = noCacheInvalidation,
  ) {}

  async listOpen(userId: number, limit: number) {
    return this.withPhotos(userId, await this.groups.listOpen(userId, limit));
  }

  /** The groups the user decided on, latest first, with what was decided: one kept (the others hidden), or all kept. */
  async listDecided(userId: number, limit: number) {
    const groups = await this.withPhotos(userId, await this.groups.listDecided(userId, limit));
    return groups.map((group) => ({
      ...group,
      decision: group.photos.some((photo) => photo.hidden) ? ('kept-one' as const) : ('kept-all' as const),
    }));
  }

  private async withPhotos<G extends { id: number }>(userId: number, groups: G[]) {
    const photos = await this.groups.photosOfGroups(
      userId,
      groups.map((g) => g.id),
    );
    return groups.map((group) => ({
      ...group,
      photos: photos.filter((photo) => photo.groupId === group.id).map(({ groupId: _, ...photo }) => presentPhoto(this.mediaUrls, photo)),
    }));
  }

  async resolve(userId: number, groupId: number, keepPhotoId: number) {
    await this.access.requireOwned('duplicateGroup', userId, groupId);
    const members = await this.groups.membersOf(userId, groupId);
    if (!members.some((member) => member.id === keepPhotoId)) throw new NotFoundError('Photo in this group');
    await this.groups.resolve(userId, groupId, keepPhotoId);
    // The others leave every grid, strip and count they were in.
    await this.cache.bumpUser(userId);
  }

  /** "These are not duplicates" (a burst wanted whole): every photo stays, and the group leaves the review. */
  async keepAll(userId: number, groupId: number) {
    await this.access.requireOwned('duplicateGroup', userId, groupId);
    await this.groups.keepAll(userId, groupId);
    await this.cache.bumpUser(userId);
  }

  /** Undo: the group is back to review and every photo of it is shown again. */
  async reopen(userId: number, groupId: number) {
    await this.access.requireOwned('duplicateGroup', userId, groupId);
    await this.groups.reopen(userId, groupId);
    // Hidden photos come back into grids, strips and counts.
    await this.cache.bumpUser(userId);
  }
}
