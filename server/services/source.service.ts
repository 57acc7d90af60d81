import { basename } from 'node:path';
import type { AppConfig } from '../config.js';
import type { SourceRepository, SourceRow } from '../repositories/source.repository.js';
import type { UploadRepository } from '../repositories/upload.repository.js';
import type { ObjectStorage } from '../storage/storage.js';
import { LocalFolderSource, resolveImportFolder } from '../sources/local-folder-source.js';
import type { PhotoSource } from '../sources/photo-source.js';
import { SourceAccessError } from '../sources/photo-source.js';
import { UploadSource } from '../sources/upload-source.js';

/** Opens the right PhotoSource for a row; Google Drive registers itself here once configured. */
export type SourceOpener = (row: SourceRow) => PhotoSource;

const OPEN_SOURCE_TTL_MS = 30_000;
const OPEN_SOURCE_LIMIT = 500;

export class SourceService {
  private readonly openers = new Map<SourceRow['kind'], SourceOpener>();
  private readonly opened = new Map<string, { source: PhotoSource; expiresAt: number }>();

  constructor(
    private readonly sources: SourceRepository,
    uploads: UploadRepository,
    storage: ObjectStorage,
    private readonly config: Pick<AppConfig, 'imports'>,
  ) {
    this.openers.set('local', (row) => new LocalFolderSource(row.localPath!));
    this.openers.set('upload', (row) => new UploadSource(uploads, storage, row.userId, row.id));
  }

  registerOpener(kind: SourceRow['kind'], opener: SourceOpener) {
    this.openers.set(kind, opener);
  }

  list(userId: number) {
    return this.sources.listByUser(userId);
  }

  async addLocalFolder(userId: number, path: string): Promise<{ id: number }> {
    const folder = await resolveImportFolder(path, this.config.imports.localRoots);
    const id = await this.sources.insert({ userId, kind: 'local', label: basename(folder) || folder, localPath: folder });
    return { id };
  }

  async addGoogleDrive(userId: number, account: { email: string; encryptedRefreshToken: string }): Promise<{ id: number }> {
    const id = await this.sources.insert({
      userId, kind: 'gdrive', label: `Google Drive (${account.email})`.slice(0, 255),
      googleAccountEmail: account.email, encryptedRefreshToken: account.encryptedRefreshToken,
    });
    return { id };
  }

  /** Every user has at most one upload library; created on first upload. */
  async uploadSourceOf(userId: number): Promise<number> {
    return (
      (await this.sources.findUploadSource(userId)) ??
      (await this.sources.insert({ userId, kind: 'upload', label: 'Uploaded photos' }))
    );
  }

  /** The source behind a row, with the row as it is now (the scan job needs its current cursor). */
  async open(userId: number, sourceId: number): Promise<{ row: SourceRow; source: PhotoSource }> {
    const row = await this.sources.findForWorker(userId, sourceId);
    if (!row) throw new SourceAccessError('This photo library no longer exists');
    const opener = this.openers.get(row.kind);
    if (!opener) throw new SourceAccessError(`${row.kind} libraries are not configured on this server`);
    return { row, source: opener(row) };
  }

  /**
   * The source only, kept open briefly: every ingest job of a scan needs it, and
   * reopening means a query, a token decryption and a fresh API client.
   */
  async openForReading(userId: number, sourceId: number): Promise<PhotoSource> {
    const key = `${userId}:${sourceId}`;
    const cached = this.opened.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.source;
    const { source } = await this.open(userId, sourceId);
    if (this.opened.size >= OPEN_SOURCE_LIMIT) this.opened.delete(this.opened.keys().next().value!);
    this.opened.set(key, { source, expiresAt: Date.now() + OPEN_SOURCE_TTL_MS });
    return source;
  }
}
