/**
 * Which server folders each user may import from (LOCAL_IMPORT_ROOTS).
 *
 * By default every user has a folder of their own in each root, named by their user
 * id: `<root>/<userId>`. The app creates it the first time the user looks at their
 * import folders (so they know where to put photos), unless the root is read-only;
 * an operator may instead create it, or make it a link to wherever that user's photos
 * live: the grant is whatever `<root>/<userId>` resolves to. With LOCAL_IMPORT_SHARED
 * (one household) every user may import anywhere under the roots.
 *
 * Every check resolves links (realpath) when it runs, not only when a folder was
 * added: a library folder replaced by a link later stops working with a clear
 * reason instead of being followed. A refusal says the same whether or not the path
 * exists, and names only the user's own folders.
 */
import { mkdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { ValidationError } from '../errors.js';
import { SourceAccessError } from './photo-source.js';

export interface LocalImportConfig {
  localRoots: readonly string[];
  localShared: boolean;
}

export interface ImportFolder {
  path: string;
  /** False when the folder is not there (a read-only root the app could not create it in). */
  ready: boolean;
}

/** sources.local_path. */
const MAX_STORED_PATH_LENGTH = 1024;

export function isInside(folder: string, path: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

const resolved = (path: string) => realpath(path).catch(() => null);
const isDirectory = async (path: string) => Boolean((await stat(path).catch(() => null))?.isDirectory());

export class LocalImportGrants {
  constructor(private readonly config: LocalImportConfig) {}

  get enabled(): boolean {
    return this.config.localRoots.length > 0;
  }

  get shared(): boolean {
    return this.config.localShared;
  }

  /** The user's import folders as configured (what they are told), not resolved. */
  foldersOf(userId: number): string[] {
    if (this.config.localShared) return [...this.config.localRoots];
    return this.config.localRoots.map((root) => join(root, String(userId)));
  }

  /**
   * The user's folders, each created if missing (per-user mode). Only the last level is
   * made, inside a root that exists: a root that is missing or read-only is the operator's.
   */
  async prepare(userId: number): Promise<ImportFolder[]> {
    return Promise.all(
      this.foldersOf(userId).map(async (path) => {
        if (!this.config.localShared) await mkdir(path).catch(() => undefined);
        return { path, ready: await isDirectory(path) };
      }),
    );
  }

  /** The resolved grants that exist now. */
  private async resolvedFoldersOf(userId: number): Promise<string[]> {
    const folders = await Promise.all(this.foldersOf(userId).map(resolved));
    return folders.filter((folder): folder is string => folder !== null);
  }

  /**
   * The folder to store for a path the user typed: resolved, a directory, inside one of
   * their grants. Every refusal past the syntax is one message, so nobody learns
   * whether a path outside their folders exists.
   */
  async resolveRequested(userId: number, requested: string): Promise<string> {
    if (!this.enabled) throw new ValidationError('Importing from a server folder is turned off on this server');
    if (!isAbsolute(requested)) throw new ValidationError('Give the folder as an absolute path');
    if (requested.split(/[\\/]/).includes('..')) throw new ValidationError('The folder path may not contain ".."');
    const folder = await resolved(requested);
    const grants = await this.resolvedFoldersOf(userId);
    const allowed = folder !== null && grants.some((grant) => isInside(grant, folder)) && (await isDirectory(folder));
    if (!allowed) throw new ValidationError(this.notAllowed(userId));
    if (folder.length > MAX_STORED_PATH_LENGTH)
      throw new ValidationError(`That folder's full path is longer than ${MAX_STORED_PATH_LENGTH} characters`);
    return folder;
  }

  private notAllowed(userId: number): string {
    const folders = this.foldersOf(userId);
    const yours = folders.length > 1 ? `Your import folders are ${folders.join(', ')}` : `Your import folder is ${folders[0]}`;
    return `There is no folder you may import from at that path. ${yours}: put your photos there and give that folder or one inside it.`;
  }

  /**
   * Before every listing and every file read: the stored folder must still resolve to
   * itself (no part of it replaced by a link since it was added), be a directory, and
   * lie inside one of the user's grants as they resolve now.
   */
  async verifyStored(userId: number, folder: string): Promise<string> {
    const now = await resolved(folder);
    const grants = await this.resolvedFoldersOf(userId);
    const ok = now === folder && grants.some((grant) => isInside(grant, folder)) && (await isDirectory(folder));
    if (!ok) {
      throw new SourceAccessError(
        'The folder of this library is no longer one you may import from: it was moved, removed or replaced by a link, or your import folders changed',
      );
    }
    return folder;
  }
}
