import { basename } from 'node:path';
import { LRUCache } from 'lru-cache';
import type { AppConfig } from '../config.js';
import { ConflictError } from '../errors.js';
import type { NewSource, SourceRepository, SourceRow } from '../repositories/source.repository.js';
import type { UploadRepository } from '../repositories/upload.repository.js';
import type { ObjectStorage } from '../storage/storage.js';
import { LocalFolderSource } from '../sources/local-folder-source.js';
import { LocalImportGrants } from '../sources/local-import-grants.js';
import { locationKey, type LibraryLocation } from '../sources/location-key.js';
import type { PhotoSource } from '../sources/photo-source.js';
import { SourceAccessError } from '../sources/photo-source.js';
import { UploadSource } from '../sources/upload-source.js';

/** Opens the right PhotoSource for a row; Google Drive registers itself here once configured. */
export type SourceOpener = (row: SourceRow) => PhotoSource;

const OPEN_SOURCE_TTL_MS = 30_000;
const OPEN_SOURCE_LIMIT = 500;

export class SourceService {
  private readonly openers = new Map<SourceRow['kind'], SourceOpener>();
  /** Sources opened lately, kept briefly (see openForReading). */
  private readonly opened = new LRUCache<string, PhotoSource>({ max: OPEN_SOURCE_LIMIT, ttl: OPEN_SOURCE_TTL_MS });
  readonly localImports: LocalImportGrants;

  constructor(
    private readonly sources: SourceRepository,
    uploads: UploadRepository,
    storage: ObjectStorage,
    config: Pick<AppConfig, 'imports'>,
  ) {
    this.localImports = new LocalImportGrants({ localRoots: config.imports.localRoots, localShared: config.imports.localShared });
    this.openers.set('local', (row) => new LocalFolderSource(() => this.localImports.verifyStored(row.userId, row.localPath ?? '')));
    this.openers.set('upload', (row) => new UploadSource(uploads, storage, row.userId, row.id));
  }

  registerOpener(kind: SourceRow['kind'], opener: SourceOpener) {
    this.openers.set(kind, opener);
  }

  list(userId: number) {
    return this.sources.listWithPhotoCounts(userId);
  }

  /** Where this user may import server folders from (their own folders are created on first look). */
  async importFolders(userId: number) {
    const { enabled, shared } = this.localImports;
    return { enabled, shared, folders: enabled ? await this.localImports.prepare(userId) : [] };
  }

  /** One library per folder: adding one the user has already is refused, naming the library it is. */
  async addLocalFolder(userId: number, path: string): Promise<{ id: number }> {
    const folder = await this.localImports.resolveRequested(userId, path);
    const location: LibraryLocation = { kind: 'local', folder };
    const id = await this.insertUnique(location, { userId, kind: 'local', label: basename(folder) || folder, localPath: folder });
    if (id !== null) return { id };
    const existing = await this.sources.findByLocation(userId, locationKey(location));
    // A library disconnected earlier, history kept: adding its folder again brings it back.
    if (existing?.disconnectedAt) {
      await this.reconnect(userId, existing.id);
      return { id: existing.id };
    }
    throw new ConflictError(`This folder is already one of your libraries${existing ? ` (“${existing.label}”)` : ''}`);
  }

  /**
   * One library per Google account: connecting an account the user has already
   * connected renews that library's grant (the way to repair a revoked one) and
   * returns it, instead of adding a second copy of the same Drive.
   */
  async addGoogleDrive(userId: number, account: { email: string; encryptedRefreshToken: string }): Promise<{ id: number }> {
    const location: LibraryLocation = { kind: 'gdrive', email: account.email };
    const id = await this.insertUnique(location, {
      userId,
      kind: 'gdrive',
      label: `Google Drive (${account.email})`.slice(0, 255),
      googleAccountEmail: account.email,
      encryptedRefreshToken: account.encryptedRefreshToken,
    });
    if (id !== null) return { id };
    const existing = await this.sources.findByLocation(userId, locationKey(location));
    if (!existing) throw new ConflictError('This Google account is being connected already; try again in a moment');
    await this.sources.replaceDriveGrant(userId, existing.id, {
      googleAccountEmail: account.email,
      encryptedRefreshToken: account.encryptedRefreshToken,
    });
    this.opened.delete(`${userId}:${existing.id}`);
    return { id: existing.id };
  }

  /** Every user has at most one upload library; created on first upload, once however many uploads start at once. */
  async uploadSourceOf(userId: number): Promise<number> {
    const location: LibraryLocation = { kind: 'upload' };
    const key = locationKey(location);
    const found = await this.sources.findByLocation(userId, key);
    if (found?.disconnectedAt) await this.reconnect(userId, found.id);
    if (found) return found.id;
    const id = await this.insertUnique(location, { userId, kind: 'upload', label: 'Uploaded photos' });
    if (id !== null) return id;
    const raced = await this.sources.findByLocation(userId, key);
    if (!raced) throw new ConflictError('Your upload library is being created; try again in a moment');
    return raced.id;
  }

  private async reconnect(userId: number, sourceId: number) {
    await this.sources.reconnect(userId, sourceId);
    this.forgetOpened(userId, sourceId);
  }

  /** A library disconnected or removed: the source this process keeps open for it goes (a Drive client holds its token). */
  forgetOpened(userId: number, sourceId: number) {
    this.opened.delete(`${userId}:${sourceId}`);
  }

  private insertUnique(location: LibraryLocation, source: NewSource): Promise<number | null> {
    return this.sources.insertUnique({ ...source, locationKey: locationKey(location) });
  }

  /** The source behind a row, with the row as it is now (the scan job needs its current cursor). */
  async open(userId: number, sourceId: number): Promise<{ row: SourceRow; source: PhotoSource }> {
    const row = await this.sources.findForWorker(userId, sourceId);
    if (!row) throw new SourceAccessError('This photo library no longer exists');
    if (row.disconnectedAt) throw new SourceAccessError('This photo library was disconnected; add it again to scan it');
    const opener = this.openers.get(row.kind);
    if (!opener) throw new SourceAccessError(`${row.kind} libraries are not configured on this server`);
    return { row, source: opener(row) };
  }

  /**
   * The source only, kept open briefly: every ingest job of a scan needs it, and
   * reopening means a query, a token decryption and a fresh API client. (A local
   * folder is still checked against the user's grant at every file it opens.)
   */
  async openForReading(userId: number, sourceId: number): Promise<PhotoSource> {
    const key = `${userId}:${sourceId}`;
    const cached = this.opened.get(key);
    if (cached) return cached;
    const { source } = await this.open(userId, sourceId);
    this.opened.set(key, source);
    return source;
  }
}
