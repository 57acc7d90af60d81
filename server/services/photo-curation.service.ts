import type { PhotoListInput } from '../../shared/photo.schema.js';
import type { ConcertRepository } from '../repositories/concert.repository.js';
import type { PhotoQueryRepository } from '../repositories/photo-query.repository.js';
import type { MediaUrls } from '../media/media-urls.js';
import { presentPhoto } from '../media/photo-media.js';
import type { JobSender } from '../queue/job-sender.js';
import { noCacheInvalidation, type UserCacheInvalidator } from '../cache/versioned-cache.js';
import { viewTags } from '../cache/view-versions.js';
import type { AccessService } from './access.js';

/** The user's browsing and sorting of their photos: by concert or unmatched, starring, moving. */
export class PhotoCurationService {
  constructor(
    private readonly access: AccessService,
    private readonly photos: PhotoQueryRepository,
    private readonly concerts: ConcertRepository,
    private readonly jobs: JobSender,
    private readonly mediaUrls: MediaUrls,
    private readonly cache: UserCacheInvalidator = noCacheInvalidation,
  ) {}

  async list(userId: number, input: PhotoListInput) {
    if ('concertId' in input) await this.access.requireOwned('concert', userId, input.concertId);
    const scope = 'concertId' in input ? { concertId: input.concertId } : { unmatched: true as const };
    const page = await this.photos.list(userId, scope, input.cursor, input.limit);
    return { ...page, items: page.items.map((photo) => presentPhoto(this.mediaUrls, photo)) };
  }

  /**
   * Starring asks for the photo's 400/800/1200 px variants (the `image` queue);
   * unstarring keeps them: they are small, starring again is then instant, and they
   * go with the photo when it is deleted.
   */
  async star(userId: number, photoId: number, starred: boolean, requestId?: string): Promise<void> {
    await this.access.requireOwned('photo', userId, photoId);
    const concertId = await this.photos.setStarred(userId, photoId, starred);
    // Its concert's grid and timeline strip (starred first); no other view shows stars.
    await this.cache.bump(userId, [viewTags.photos(concertId)]);
    if (starred) await this.jobs.add('render-variants', { userId, photoId, requestId });
  }

  /** Into a concert, or out of any (null). A concert made without photos takes the place of the first it gets. */
  async move(userId: number, photoIds: readonly number[], concertId: number | null): Promise<void> {
    const ids = [...new Set(photoIds)];
    await this.access.requireOwned('photo', userId, ids);
    if (concertId !== null) await this.access.requireOwned('concert', userId, concertId);
    await this.photos.move(userId, ids, concertId);
    if (concertId !== null) {
      const place = await this.photos.placeOf(userId, ids);
      if (place) await this.concerts.placeIfUnplaced(userId, concertId, place);
    }
    await this.cache.bumpUser(userId);
  }
}
