import type { Redis } from 'ioredis';
import type { AppConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { JsonCache } from '../cache/json-cache.js';
import { VersionedCache, type CacheEvents } from '../cache/versioned-cache.js';
import type { Logger } from '../logger.js';
import { MediaUrls } from '../media/media-urls.js';
import { SessionIndex } from '../http/session-index.js';
import { RecentWriters } from '../db/read-your-writes.js';
import { OVERPASS_SERVICE, OverpassClient } from '../integrations/overpass/overpass-client.js';
import { SETLISTFM_SERVICE, SetlistFmClient } from '../integrations/setlistfm/setlistfm-client.js';
import { createUpstreamFetch } from '../integrations/upstream-fetch.js';
import { SetlistFmConcertFacts, setlistFmArtistSearch } from '../matching/setlistfm-concert-lookup.js';
import { JobQueues } from '../queue/queues.js';
import { WorkerConcurrencyStore } from '../queue/worker-concurrency.js';
import { createGlobalThrottle } from '../rate-limit/global-throttle.js';
import { RateLimits } from '../rate-limit/limits.js';
import { AccountRepository } from '../repositories/account.repository.js';
import { ArtistRepository } from '../repositories/artist.repository.js';
import { ConcertRepository } from '../repositories/concert.repository.js';
import { ExportRepository } from '../repositories/export.repository.js';
import { HistoryExportRepository } from '../repositories/history-export.repository.js';
import { PhotoQueryRepository } from '../repositories/photo-query.repository.js';
import { InboxRepository } from '../repositories/inbox.repository.js';
import { MatchRepository } from '../repositories/match.repository.js';
import { VenueAliasRepository } from '../repositories/venue-alias.repository.js';
import { VenueRepository } from '../repositories/venue.repository.js';
import { DuplicateGroupRepository } from '../repositories/duplicate-group.repository.js';
import { PhotoRepository } from '../repositories/photo.repository.js';
import { ProcessedFileRepository } from '../repositories/processed-file.repository.js';
import { ScanProgressRepository } from '../repositories/scan-progress.repository.js';
import { ScanRepository } from '../repositories/scan.repository.js';
import { SetlistFmShowRepository } from '../repositories/setlistfm-show.repository.js';
import { SourceRepository } from '../repositories/source.repository.js';
import { StatsRepository } from '../repositories/stats.repository.js';
import { UploadRepository } from '../repositories/upload.repository.js';
import { UploadTempFiles } from '../repositories/upload-temp-files.js';
import { UploadLimits } from '../rate-limit/upload-limits.js';
import { UserRepository } from '../repositories/user.repository.js';
import { createGoogleDriveSource } from '../sources/google-drive/google-drive-source.js';
import { GoogleOAuthClient } from '../sources/google-drive/oauth.js';
import { createTokenCipher } from '../sources/google-drive/token-crypto.js';
import { SourceAccessError } from '../sources/photo-source.js';
import { createStorage } from '../storage/index.js';
import type { ObjectStorage } from '../storage/storage.js';
import { AccessService } from './access.js';
import { AccountService } from './account.service.js';
import { ArtistService } from './artist.service.js';
import { AuthService } from './auth.service.js';
import { ConcertService } from './concert.service.js';
import { PhotoCurationService } from './photo-curation.service.js';
import { ConcertMatchingService } from './concert-matching.service.js';
import { EventGroupingService } from './event-grouping.service.js';
import { InboxService } from './inbox.service.js';
import { PhotoVariantsService } from './photo-variants.service.js';
import { ScanFinisher } from './scan-finisher.js';
import { VenueDetectionService } from './venue-detection.service.js';
import { VenueStageService } from './venue-stage.service.js';
import { DedupService } from './dedup.service.js';
import { DuplicateService } from './duplicate.service.js';
import { ExportService } from './export.service.js';
import { HistoryExportBuilder } from './history-export-builder.service.js';
import { HistoryExportService } from './history-export.service.js';
import { argon2PasswordHasher, type PasswordHasher } from './password-hasher.js';
import { PhotoIngestService } from './photo-ingest.service.js';
import { QueueAdminService } from './queue-admin.service.js';
import { ScanListingService } from './scan-listing.service.js';
import { ScanService } from './scan.service.js';
import { RescanScheduleService } from './rescan-schedule.service.js';
import { createMailServices } from '../mail/mail-module.js';
import { SourceService } from './source.service.js';
import { StatsService } from './stats.service.js';
import { UploadService } from './upload.service.js';

export interface ServiceDependencies {
  config: AppConfig;
  db: Database;
  /** Request-path Redis (fails fast). */
  redis: Redis;
  /** BullMQ producer connection (waits for Redis). */
  queueRedis: Redis;
  /** Sessions and caches (REDIS_CACHE_URL, may evict); `redis` when not given. */
  cacheRedis?: Redis;
  storage?: ObjectStorage;
  passwordHasher?: PasswordHasher;
  /** The read-through cache of user views; built on `redis` when not given. */
  viewCache?: VersionedCache;
  /** Hit/miss hooks and warn logger of the default view cache. */
  cacheEvents?: CacheEvents;
  logger?: Pick<Logger, 'warn'>;
}

/** Wires repositories into services once per process; web and worker share it. */
export function createServices({
  config, db, redis, queueRedis, cacheRedis = redis, storage = createStorage(config.storage), passwordHasher = argon2PasswordHasher, cacheEvents, logger,
  viewCache = new VersionedCache(cacheRedis, { keyPrefix: config.redis.keyPrefix, events: cacheEvents, logger }),
}: ServiceDependencies) {
  const repositories = {
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
    photoQueries: new PhotoQueryRepository(db),
    accounts: new AccountRepository(db),
    exportRows: new ExportRepository(db),
    historyExports: new HistoryExportRepository(db),
    stats: new StatsRepository(db),
  };
  const r = repositories;
  const queues = new JobQueues(queueRedis, config);
  const access = new AccessService(db);
  const rateLimits = new RateLimits(redis, config);
  const sources = new SourceService(r.sources, r.uploads, storage, config);
  const uploads = new UploadService(sources, r.uploads, storage, new UploadTempFiles(config.imports.uploadTempDir), new UploadLimits(redis, config), config);
  const google = config.google && connectGoogleDrive(config.google, sources);
  const outside = connectOutsideWorld(config, redis, cacheRedis);
  const artists = new ArtistService(r.artists, outside.setlistfm && setlistFmArtistSearch(outside.setlistfm), viewCache);
  // Without SMTP_URL a completed scan queues no mail job at all.
  const afterScan = config.mail ? (userId: number, scanId: number) => queues.scanFinishedMail({ userId, scanId }) : undefined;
  const scanFinisher = new ScanFinisher(r.scans, r.scanProgress, r.match, viewCache, afterScan);
  const venueDetection = new VenueDetectionService(r.venues, r.venueAliases, outside.cache, outside.overpass, config);
  // setlist.fm's shows as it told us before (shared by every user), else asked now when configured.
  const concertFacts = new SetlistFmConcertFacts(r.setlistfmShows, r.venues, outside.setlistfm);
  const mediaUrls = new MediaUrls(config.media);
  const scans = new ScanService(access, r.scans, r.scanProgress, r.photos, r.processedFiles, queues, rateLimits, viewCache);
  const rescanSchedules = new RescanScheduleService(access, r.sources, r.scans, scans, queues);
  const concerts = new ConcertService(access, r.concerts, artists, r.venues, r.venueAliases, r.photoQueries, mediaUrls, viewCache);
  const photoCuration = new PhotoCurationService(access, r.photoQueries, r.concerts, queues, mediaUrls, viewCache);
  return {
    google,
    repositories,
    queues,
    viewCache,
    storage,
    access,
    rateLimits,
    sessions: new SessionIndex(cacheRedis, config),
    /** Null without replicas: every read already goes to the primary. */
    recentWriters:
      config.database.replicaUrls.length && config.database.readYourWritesMs
        ? new RecentWriters(redis, config.redis.keyPrefix, config.database.readYourWritesMs)
        : null,
    auth: new AuthService(r.users, passwordHasher, rateLimits, r.accounts),
    accounts: new AccountService(r.accounts, passwordHasher, r.scanProgress, storage, viewCache, rescanSchedules, uploads),
    exports: new ExportService(r.exportRows),
    historyExports: new HistoryExportService(r.historyExports, queues, mediaUrls),
    historyExportBuilder: new HistoryExportBuilder(r.historyExports, new ExportService(r.exportRows), r.exportRows, storage, queues),
    sources,
    uploads,
    scans,
    rescanSchedules,
    ...createMailServices(config, db, queues, mediaUrls),
    mediaUrls,
    duplicates: new DuplicateService(access, r.duplicateGroups, mediaUrls),
    artists,
    concerts,
    photoCuration,
    stats: new StatsService(r.stats, viewCache),
    queueAdmin: new QueueAdminService(queues, new WorkerConcurrencyStore(queueRedis, config)),
    scanListing: new ScanListingService(sources, r.sources, r.scans, r.scanProgress, r.processedFiles, queues, r.photos),
    photoIngest: new PhotoIngestService(sources, r.photos, r.processedFiles, r.scanProgress, storage, queues, config),
    photoVariants: new PhotoVariantsService(r.photos, sources, storage, config),
    dedup: new DedupService(r.photos, r.duplicateGroups, r.scanProgress, queues, config),
    scanFinisher,
    venueDetection,
    eventGrouping: new EventGroupingService(r.match, r.scanProgress, queues, scanFinisher, config),
    venueStage: new VenueStageService(venueDetection, r.scanProgress, queues),
    concertMatching: new ConcertMatchingService(r.match, r.venues, r.artists, r.scanProgress, scanFinisher, concertFacts),
    inbox: new InboxService(
      access, r.inbox, r.concerts, concerts, photoCuration, venueDetection, r.venues, r.venueAliases, r.artists, outside.setlistfm,
      concertFacts, config, viewCache,
    ),
  };
}

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
 * process: setlist.fm allows 2 requests/s with bursts of 10, Overpass asks for 1/s.
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
      upstreamFetch: createUpstreamFetch({
        service: SETLISTFM_SERVICE,
        throttle: createGlobalThrottle(redis, { service: 'setlistfm', keyPrefix, refillPerSecond: 2, burst: 10 }),
        // Its 429s come without Retry-After; about two seconds is what clears them.
        baseDelayMs: 2_000,
      }),
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

export type Services = ReturnType<typeof createServices>;
