/**
 * What a web server builds: the services its routers and HTTP routes call, on the
 * core both programs share (core.ts). A worker builds its own on the same core
 * (worker/services.ts); neither builds the other's.
 */
import { RecentWriters } from '../db/read-your-writes.js';
import { SessionIndex } from '../repositories/session.repository.js';
import { WorkerConcurrencyStore } from '../queue/worker-concurrency.js';
import { RateLimits } from '../rate-limit/limits.js';
import { UploadLimits } from '../rate-limit/upload-limits.js';
import { UploadTempFiles } from '../repositories/upload-temp-files.js';
import { LibraryRemovalRepository } from '../repositories/library-removal.repository.js';
import { AccountService } from './account.service.js';
import { AuthService } from './auth.service.js';
import { ConcertService } from './concert.service.js';
import { createCoreServices, type ServiceDependencies } from './core.js';
import { DuplicateService } from './duplicate.service.js';
import { ExportService } from './export.service.js';
import { HistoryExportService } from './history-export.service.js';
import { HomeCityService } from './home-city.service.js';
import { InboxService } from './inbox.service.js';
import { LibraryRemovalService } from './library-removal.service.js';
import { argon2PasswordHasher, type PasswordHasher } from './password-hasher.js';
import { PhotoCurationService } from './photo-curation.service.js';
import { PlaylistService } from './playlist.service.js';
import { QueueAdminService } from './queue-admin.service.js';
import { ScanService } from './scan.service.js';
import { StatsService } from './stats.service.js';
import { UploadService } from './upload.service.js';
import { VenueHistoryService } from './venue-history.service.js';

export type { ServiceDependencies } from './core.js';

export function createWebServices({
  passwordHasher = argon2PasswordHasher,
  ...dependencies
}: ServiceDependencies & { passwordHasher?: PasswordHasher }) {
  const core = createCoreServices(dependencies);
  const { config, repositories: r, storage, queues, viewCache, access, sources, mediaUrls, rescanSchedules, artists } = core;
  const { redis, queueRedis, cacheRedis = redis } = dependencies;
  const rateLimits = new RateLimits(redis, config, cacheRedis);
  const uploads = new UploadService(
    sources,
    r.uploads,
    storage,
    new UploadTempFiles(config.imports.uploadTempDir),
    new UploadLimits(redis, config),
    config,
  );
  const concerts = new ConcertService(access, r.concerts, artists, r.venues, r.venueAliases, r.photoQueries, mediaUrls, viewCache);
  const photoCuration = new PhotoCurationService(access, r.photoQueries, r.concerts, queues, mediaUrls, viewCache);
  const scans = new ScanService(access, r.scans, r.scanProgress, r.photos, r.processedFiles, queues, rateLimits, viewCache);
  return {
    ...core,
    /** The core these services were built on: a worker's services can be built on it too (INLINE_QUEUES, tests). */
    core,
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
    uploads,
    scans,
    libraryRemoval: new LibraryRemovalService(
      access,
      r.sources,
      sources,
      new LibraryRemovalRepository(dependencies.db),
      scans,
      queues,
      storage,
      viewCache,
    ),
    duplicates: new DuplicateService(access, r.duplicateGroups, mediaUrls, viewCache),
    concerts,
    photoCuration,
    stats: new StatsService(r.stats, config.map, viewCache),
    venueHistory: new VenueHistoryService(r.venues, r.concerts, mediaUrls),
    homeCity: new HomeCityService(r.users, viewCache),
    playlists: new PlaylistService(access, r.concerts),
    queueAdmin: new QueueAdminService(queues, new WorkerConcurrencyStore(queueRedis, config)),
    inbox: new InboxService(
      access,
      r.inbox,
      r.concerts,
      concerts,
      photoCuration,
      core.venueDetection,
      r.venues,
      r.venueAliases,
      r.artists,
      core.outside.setlistfm,
      core.concertFacts,
      config,
      viewCache,
    ),
  };
}

export type WebServices = ReturnType<typeof createWebServices>;
/** The services a web request sees (routers, HTTP routes). */
export type Services = WebServices;
