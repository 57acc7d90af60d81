import type { Redis } from 'ioredis';
import type { AppConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { JobQueues } from '../queue/queues.js';
import { DuplicateGroupRepository } from '../repositories/duplicate-group.repository.js';
import { PhotoRepository } from '../repositories/photo.repository.js';
import { ProcessedFileRepository } from '../repositories/processed-file.repository.js';
import { ScanProgressRepository } from '../repositories/scan-progress.repository.js';
import { ScanRepository } from '../repositories/scan.repository.js';
import { SourceRepository } from '../repositories/source.repository.js';
import { UploadRepository } from '../repositories/upload.repository.js';
import { UserRepository } from '../repositories/user.repository.js';
import { createGoogleDriveSource } from '../sources/google-drive/google-drive-source.js';
import { GoogleOAuthClient } from '../sources/google-drive/oauth.js';
import { createTokenCipher } from '../sources/google-drive/token-crypto.js';
import { SourceAccessError } from '../sources/photo-source.js';
import { createStorage } from '../storage/index.js';
import type { ObjectStorage } from '../storage/storage.js';
import { AccessService } from './access.js';
import { AuthService } from './auth.service.js';
import { DedupService } from './dedup.service.js';
import { DuplicateService } from './duplicate.service.js';
import { argon2PasswordHasher, type PasswordHasher } from './password-hasher.js';
import { PhotoIngestService } from './photo-ingest.service.js';
import { ScanListingService } from './scan-listing.service.js';
import { ScanService } from './scan.service.js';
import { SourceService } from './source.service.js';
import { UploadService } from './upload.service.js';

export interface ServiceDependencies {
  config: AppConfig;
  db: Database;
  /** Request-path Redis (fails fast). */
  redis: Redis;
  /** BullMQ producer connection (waits for Redis). */
  queueRedis: Redis;
  storage?: ObjectStorage;
  passwordHasher?: PasswordHasher;
}

/** Wires repositories into services once per process; web and worker share it. */
export function createServices({ config, db, redis, queueRedis, storage = createStorage(config.storage), passwordHasher = argon2PasswordHasher }: ServiceDependencies) {
  const repositories = {
    users: new UserRepository(db),
    sources: new SourceRepository(db),
    uploads: new UploadRepository(db),
    scans: new ScanRepository(db),
    photos: new PhotoRepository(db),
    processedFiles: new ProcessedFileRepository(db),
    duplicateGroups: new DuplicateGroupRepository(db),
    scanProgress: new ScanProgressRepository(redis, config.redis.keyPrefix),
  };
  const r = repositories;
  const queues = new JobQueues(queueRedis, config);
  const access = new AccessService(db);
  const sources = new SourceService(r.sources, r.uploads, storage, config);
  const google = config.google && connectGoogleDrive(config.google, sources);
  return {
    google,
    repositories,
    queues,
    storage,
    access,
    auth: new AuthService(r.users, passwordHasher),
    sources,
    uploads: new UploadService(sources, r.uploads, storage, config),
    scans: new ScanService(access, r.scans, r.scanProgress, r.photos, r.processedFiles, queues),
    duplicates: new DuplicateService(access, r.duplicateGroups),
    scanListing: new ScanListingService(sources, r.sources, r.scans, r.scanProgress, r.processedFiles, queues),
    photoIngest: new PhotoIngestService(sources, r.photos, r.processedFiles, r.scanProgress, storage, queues, config),
    dedup: new DedupService(r.photos, r.duplicateGroups, r.scans, r.scanProgress, config),
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

export type Services = ReturnType<typeof createServices>;
