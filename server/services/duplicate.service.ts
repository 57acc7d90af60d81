import { NotFoundError } from '../errors.js';
import type { DuplicateGroupRepository } from '../repositories/duplicate-group.repository.js';
import type { MediaUrls } from '../media/media-urls.js';
import { presentPhoto } from '../media/photo-media.js';
import type { AccessService } from './access.js';

/** The user's review of duplicate groups and bursts. */
export class DuplicateService {
  constructor(
    private readonly access: AccessService,
    private readonly groups: DuplicateGroupRepository,
    private readonly mediaUrls: MediaUrls,
  ) {}

  async listOpen(userId: number, limit: number) {
    const groups = await this.groups.listOpen(userId, limit);
    const photos = await this.groups.photosOfGroups(userId, groups.map((g) => g.id));
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
  }
}
