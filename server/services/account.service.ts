import { noCacheInvalidation, type UserCacheInvalidator } from '../cache/versioned-cache.js';
import { InvalidCredentialsError, NotFoundError } from '../errors.js';
import type { AccountRepository, UserScopedTableName } from '../repositories/account.repository.js';
import type { ScanProgressRepository } from '../repositories/scan-progress.repository.js';
import { storageKeys } from '../storage/storage-keys.js';
import type { ObjectStorage } from '../storage/storage.js';
import type { PasswordHasher } from './password-hasher.js';

/** Storage deletions in flight at once: quick on S3, without a thousand requests at a time. */
const DELETE_CONCURRENCY = 16;

/** A wrong password on a signed-in action; an auth error (UNAUTHORIZED) that names the password alone. */
export class WrongPasswordError extends InvalidCredentialsError {
  constructor() {
    super();
    this.message = 'That password is not correct, so nothing was deleted';
  }
}

export interface AccountDeletion {
  rows: Record<UserScopedTableName, number>;
  storageObjects: number;
}

/**
 * Deleting an account and everything of it: its rows in every user-scoped table,
 * its objects in storage (thumbnails, variants, uploads), its uploads in flight
 * with their temp files, and the user row.
 * Shared facts (artists, venues) stay.
 */
export class AccountService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly hasher: PasswordHasher,
    private readonly progress: ScanProgressRepository,
    private readonly storage: ObjectStorage,
    private readonly cache: UserCacheInvalidator = noCacheInvalidation,
    /** The sources' rescan schedulers live in Redis and go with the sources. */
    private readonly schedules: { removeAllOf(userId: number): Promise<void> } = { removeAllOf: async () => {} },
    /** Uploads in flight, on this web server and the others, with their temp files (upload.service.ts). */
    private readonly uploads: { stopAllOf(userId: number): Promise<void> } = { stopAllOf: async () => {} },
  ) {}

  async delete(userId: number, password: string): Promise<AccountDeletion> {
    const passwordHash = await this.accounts.passwordHashOf(userId);
    if (!passwordHash) throw new NotFoundError('Account');
    if (!(await this.hasher.verify(passwordHash, password))) throw new WrongPasswordError();

    // Uploads first: none starts any more, and the bytes of those in flight are not kept.
    await this.uploads.stopAllOf(userId);
    // Scans still running are cancelled first: every pipeline job checks that flag before it
    // works, so jobs still queued for this user end as no-ops instead of writing new rows.
    for (const scanId of await this.accounts.activeScanIds(userId)) await this.progress.finish(scanId, 'cancelled');
    await this.schedules.removeAllOf(userId);
    const rows = await this.accounts.deleteUserRows(userId);
    await this.cache.bumpUser(userId);
    const storageObjects = await this.deleteStoredObjects(userId);
    // Last: until here a failed deletion can be retried by the same user, with the same password.
    await this.accounts.deleteUser(userId);
    return { rows, storageObjects };
  }

  private async deleteStoredObjects(userId: number): Promise<number> {
    let deleted = 0;
    for await (const page of this.storage.list(storageKeys.userPrefix(userId))) {
      for (let i = 0; i < page.length; i += DELETE_CONCURRENCY) {
        await Promise.all(page.slice(i, i + DELETE_CONCURRENCY).map((object) => this.storage.delete(object.key)));
      }
      deleted += page.length;
    }
    return deleted;
  }
}
