/**
 * What web servers and workers both build, once per process: the repositories, the
 * storage, the job queues (producer side), the view cache, photo libraries, the
 * outside services (setlist.fm, OpenStreetMap) and the few services both programs
 * call. On top of it, server/services/index.ts builds what a web server serves and
 * worker/services.ts what a worker runs.
 */
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { JsonCache } from '../cache/json-cache.js';
import { VersionedCache, type CacheEvents } from '../cache/versioned-cache.js';
import type { Logger } from '../logger.js';
import { MailLinks } from '../mail/links.js';
import { UnsubscribeTokens } from '../mail/unsubscribe-token.js';
import { MediaUrls } from '../media/media-urls.js';
import { OVERPASS_SERVICE, OverpassClient } from '../integrations/overpass/overpass-client.js';
import { SetlistFmClient } from '../integrations/setlistfm/setlistfm-client.js';
import { createSetlistFmUpstream } from '../integrations/setlistfm/setlistfm-upstream.js';
import { createUpstreamFetch } from '../integrations/upstream-fetch.js';
import { SetlistFmConcertFacts, setlistFmArtistSearch } from '../matching/setlistfm-concert-lookup.js';
import { JobQueues } from '../queue/queues.js';
import { createGlobalThrottle } from '../rate-limit/global-throttle.js';
import { AccessRepository } from '../repositories/access.repository.js';
import { AccountRepository } from '../repositories/account.repository.js';
import { ArtistRepository } from '../repositories/artist.repository.js';
import { ConcertRepository } from '../repositories/concert.repository.js';
import { DuplicateGroupRepository } from '../repositories/duplicate-group.repository.js';
import { ExportRepository } from '../repositories/export.repository.js';
import { FestivalRepository } from '../repositories/festival.repository.js';
import { HistoryExportRepository } from '../repositories/history-export.repository.js';
import { InboxRepository } from '../repositories/inbox.repository.js';
import { MailDeliveryRepository } from '../repositories/mail-delivery.repository.js';
import { MailFactsRepository } from '../repositories/mail-facts.repository.js';
import { MatchRepository } from '../repositories/match.repository.js';
import { PhotoQueryRepository } from '../repositories/photo-query.repository.js';
import { PhotoRepository } from '../repositories/photo.repository.js';
import { ProcessedFileRepository } from '../repositories/processed-file.repository.js';
import { RecipientRepository } from '../repositories/recipient.repository.js';
import { ScanProgressRepository } from '../repositories/scan-progress.repository.js';
import { ScanRepository } from '../repositories/scan.repository.js';
import { SetlistFmShowRepository } from '../repositories/setlistfm-show.repository.js';
import { SourceRepository } from '../repositories/source.repository.js';
import { StatsRepository } from '../repositories/stats.repository.js';
import { UploadRepository } from '../repositories/upload.repository.js';
import { UserRepository } from '../repositories/user.repository.js';
import { VenueAliasRepository } from '../repositories/venue-alias.repository.js';
import { VenueRepository } from '../repositories/venue.repository.js';
import { createGoogleDriveSource } from '../sources/google-drive/google-drive-source.js';
import { GoogleOAuthClient } from '../sources/google-drive/oauth.js';
import { createTokenCipher } from '../sources/google-drive/token-crypto.js';
import { SourceAccessError } from '../sources/photo-source.js';
import { createStorage } from '../storage/index.js';
import type { ObjectStorage } from '../storage/storage.js';
import { AccessService } from './access.js';
import { ArtistService } from './artist.service.js';
import { FestivalService } from './festival.service.js';
import { NotificationService } from './notification.service.js';
import { RescanScheduleService } from './rescan-schedule.service.js';
import { SourceService } from './source.service.js';
import { VenueDetectionService } from './venue-detection.service.js';

export interface ServiceDependencies {
  config: AppConfig;
  db: Database;
  /** Request-path Redis (fails fast on the web; waits in workers). */
  redis: Redis;
  /** BullMQ producer connection (waits for Redis). */
  queueRedis: Redis;
  /** Sessions and caches (REDIS_CACHE_URL, may evict); `redis` when not given. */
  cacheRedis?: Redis;
  storage?: ObjectStorage;
  /** The read-through cache of user views; built on `cacheRedis` when not given. */
  viewCache?: VersionedCache;
  /** Hit/miss hooks and warn logger of the default view cache. */
  cacheEvents?: CacheEvents;
  logger?: Pick<Logger, 'warn'>;
}

export function createCoreServices({
  config,
  db,
  redis,
  queueRedis,
  cacheRedis = redis,
  storage = createStorage(config.storage),
  cacheEvents,
  logger,
  viewCache = new VersionedCache(cacheRedis, { keyPrefix: config.redis.keyPrefix, events: cacheEvents, logger }),
}: ServiceDependencies) {
  const repositories = {
    access: new AccessRepository(db),
    users: new UserRepository(db),
    sources: new SourceRepository(db),
    uploads: new UploadRepository(db),
    scans: new ScanRepository(db),
    photos: new PhotoRepository(db),
    processedFiles: new ProcessedFileRepository(db),
    duplicateGroups: new DuplicateGroupRepository(db),
    scanProgress: new ScanProgressRepository(redis, config.redis.keyPrefix),
    venues: new VenueRepository(db),
    venueAliases: new VenueAliasRepository(db),
    artists: new ArtistRepository(db),
    setlistfmShows: new SetlistFmShowRepository(db),
    match: new MatchRepository(db),
    inbox: new InboxRepository(db),
    concerts: new ConcertRepository(db),
    festivals: new FestivalRepository(db),
    photoQueries: new PhotoQueryRepository(db),
    accounts: new AccountRepository(db),
    exportRows: new ExportRepository(db),
    historyExports: new HistoryExportRepository(db),
    stats: new StatsRepository(db),
    mailDeliveries: new MailDeliveryRepository(db),
    mailRecipients: new RecipientRepository(db),
    mailFacts: new MailFactsRepository(db),
  };
  const r = repositories;
  const queues = new JobQueues(queueRedis, config);
  const access = new AccessService(r.access);
  const sources = new SourceService(r.sources, r.uploads, storage, config);
  const google = config.google && connectGoogleDrive(config.google, sources);
  const outside = connectOutsideWorld(config, redis, cacheRedis);
  const unsubscribeTokens = config.mail && new UnsubscribeTokens(config.mail.unsubscribeSecret);
  const mediaUrls = new MediaUrls(config.media);
  const artists = new ArtistService(r.artists, outside.setlistfm && setlistFmArtistSearch(outside.setlistfm), viewCache);
  // setlist.fm's shows as it told us before (shared by every user), else asked now when configured.
  const concertFacts = new SetlistFmConcertFacts(r.setlistfmShows, r.venues, outside.setlistfm);
  return {
    config,
    repositories,
    storage,
    queues,
    viewCache,
    access,
    sources,
    google,
    outside,
    mediaUrls,
    artists,
    mailLinks: new MailLinks(config.http),
    unsubscribeTokens,
    venueDetection: new VenueDetectionService(r.venues, r.venueAliases, outside.cache, outside.overpass, config),
    concertFacts,
    // Matching (worker) records festival days; the festival pages and the inbox (web) assign their photos.
    festivals: new FestivalService(access, r.festivals, r.concerts, r.artists, artists, r.venues, mediaUrls, concertFacts, viewCache),
    rescanSchedules: new RescanScheduleService(access, r.sources, r.scans, r.scanProgress, queues),
    // Without SMTP_URL no mail is queued or sent.
    notifications: new NotificationService(r.mailRecipients, r.mailDeliveries, r.mailFacts, queues, unsubscribeTokens, config.mail !== null),
  };
}

export type CoreServices = ReturnType<typeof createCoreServices>;

/** Google Drive libraries open through OAuth; the refresh token is decrypted only here, in the process that reads Drive. */
function connectGoogleDrive(google: NonNullable<AppConfig['google']>, sources: SourceService) {
  const oauth = new GoogleOAuthClient(google);
  const cipher = createTokenCipher(google.tokenEncryptionKey);
  sources.registerOpener('gdrive', (row) => {
    if (!row.encryptedRefreshToken) throw new SourceAccessError('This Google Drive library has no authorization; connect it again');
    return createGoogleDriveSource({ oauth, refreshToken: cipher.decrypt(row.encryptedRefreshToken), baseUrl: google.driveApiUrl });
  });
  return { oauth, cipher };
}

/**
 * setlist.fm and OpenStreetMap (Overpass), each behind a limit shared by every
 * process: setlist.fm by its key's quotas (about 2 requests/s and 1,440 a day, configurable), Overpass asks for 1/s.
 * Either is off when not configured, and events then wait in the review inbox.
 */
function connectOutsideWorld(config: AppConfig, redis: Redis, cacheRedis: Redis) {
  const { keyPrefix } = config.redis;
  const cache = new JsonCache(cacheRedis, keyPrefix);
  const { setlistfm: setlistfmConfig, overpassUrl } = config.matching;
  const setlistfm =
    setlistfmConfig &&
    new SetlistFmClient({
      baseUrl: setlistfmConfig.apiUrl,
      apiKey: setlistfmConfig.apiKey,
      cache,
      // Its real quotas, for every process together: evenly spaced requests and a budget per UTC day.
      ...createSetlistFmUpstream(redis, { keyPrefix, ratePerSecond: setlistfmConfig.ratePerSecond, dailyLimit: setlistfmConfig.dailyLimit }),
    });
  const overpass =
    overpassUrl &&
    new OverpassClient({
      url: overpassUrl,
      upstreamFetch: createUpstreamFetch({
        service: OVERPASS_SERVICE,
        throttle: createGlobalThrottle(redis, { service: 'overpass', keyPrefix, refillPerSecond: 1, burst: 1 }),
        // The query itself may run 25 s; after a 429 the operators ask for 30 s of quiet.
        timeoutMs: 30_000,
        baseDelayMs: 30_000,
      }),
    });
  return { cache, setlistfm: setlistfm || null, overpass: overpass || null };
}
