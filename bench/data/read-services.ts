/**
 * The services behind the timed procedures, wired as server/services/index.ts
 * wires them but with the no-op view cache: every call reaches the database, so
 * the benchmark times queries, not Redis. Nothing here writes; the job queues are
 * built on a Redis connection that is never opened.
 */
import { Redis } from 'ioredis';
import type { AppConfig } from '../../server/config.js';
import type { Database } from '../../server/db/client.js';
import { JsonCache } from '../../server/cache/json-cache.js';
import { noViewCache } from '../../server/cache/versioned-cache.js';
import { MediaUrls } from '../../server/media/media-urls.js';
import { JobQueues } from '../../server/queue/queues.js';
import { AccessRepository } from '../../server/repositories/access.repository.js';
import { ArtistRepository } from '../../server/repositories/artist.repository.js';
import { ConcertRepository } from '../../server/repositories/concert.repository.js';
import { DuplicateGroupRepository } from '../../server/repositories/duplicate-group.repository.js';
import { InboxRepository } from '../../server/repositories/inbox.repository.js';
import { PhotoQueryRepository } from '../../server/repositories/photo-query.repository.js';
import { StatsRepository } from '../../server/repositories/stats.repository.js';
import { VenueAliasRepository } from '../../server/repositories/venue-alias.repository.js';
import { VenueRepository } from '../../server/repositories/venue.repository.js';
import { AccessService } from '../../server/services/access.js';
import { ArtistService } from '../../server/services/artist.service.js';
import { ConcertService } from '../../server/services/concert.service.js';
import { DuplicateService } from '../../server/services/duplicate.service.js';
import { InboxService } from '../../server/services/inbox.service.js';
import { PhotoCurationService } from '../../server/services/photo-curation.service.js';
import { StatsService } from '../../server/services/stats.service.js';
import { VenueDetectionService } from '../../server/services/venue-detection.service.js';

export function readServices(config: AppConfig, db: Database) {
  const unopened = new Redis(config.redis.url, { lazyConnect: true });
  const access = new AccessService(new AccessRepository(db));
  const mediaUrls = new MediaUrls(config.media);
  const concertRows = new ConcertRepository(db);
  const photoRows = new PhotoQueryRepository(db);
  const venues = new VenueRepository(db);
  const venueAliases = new VenueAliasRepository(db);
  const artists = new ArtistRepository(db);
  const concerts = new ConcertService(
    access,
    concertRows,
    new ArtistService(artists, null, noViewCache),
    venues,
    venueAliases,
    photoRows,
    mediaUrls,
    noViewCache,
  );
  const photoCuration = new PhotoCurationService(access, photoRows, concertRows, new JobQueues(unopened, config), mediaUrls);
  const venueDetection = new VenueDetectionService(venues, venueAliases, new JsonCache(unopened, config.redis.keyPrefix), null, config);
  return {
    concerts,
    photoCuration,
    stats: new StatsService(new StatsRepository(db), { tiles: null }, noViewCache),
    inbox: new InboxService(
      access,
      new InboxRepository(db),
      concertRows,
      concerts,
      photoCuration,
      venueDetection,
      venues,
      venueAliases,
      artists,
      null,
      null,
      config,
      noViewCache,
    ),
    duplicates: new DuplicateService(access, new DuplicateGroupRepository(db), mediaUrls),
    duplicateGroups: new DuplicateGroupRepository(db),
    close: () => unopened.disconnect(),
  };
}
