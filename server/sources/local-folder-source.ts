import { lstat, opendir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ValidationError } from '../errors.js';
import { SourceAccessError, SourceFileGoneError, type Listing, type PhotoSource, type SourceFile } from './photo-source.js';

const PAGE_SIZE = 500;
const MAX_FILE_ID_LENGTH = 255;
/** Formats we try to ingest; anything else in the folder (videos, documents) is not a photo. */
const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.heic', '.heif', '.avif', '.tif', '.tiff', '.gif']);

const MIME_BY_EXTENSION: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.heic': 'image/heic',
  '.heif': 'image/heif', '.avif': 'image/avif', '.tif': 'image/tiff', '.tiff': 'image/tiff', '.gif': 'image/gif',
};

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Checks a folder a user asks to import: absolute, no `..`, an existing directory,
 * and, once every symlink is resolved, inside one of LOCAL_IMPORT_ROOTS. Returns
 * the resolved path to store.
 */
export async function resolveImportFolder(requested: string, roots: readonly string[]): Promise<string> {
  if (!roots.length) throw new ValidationError('Importing from a server folder is turned off here (LOCAL_IMPORT_ROOTS is empty)');
  if (!isAbsolute(requested)) throw new ValidationError('Give the folder as an absolute path');
  if (requested.split(/[\\/]/).includes('..')) throw new ValidationError('The folder path may not contain ".."');
  const resolved = await realpath(requested).catch(() => null);
  if (!resolved || !(await stat(resolved)).isDirectory()) throw new ValidationError(`No such folder: ${requested}`);
  const realRoots = await Promise.all(roots.map((root) => realpath(root).catch(() => null)));
  if (!realRoots.some((root) => root && isInside(root, resolved))) {
    throw new ValidationError(`That folder is outside the folders you may import from (${roots.join(', ')})`);
  }
  return resolved;
}

/**
 * A folder on the server. Walks it recursively and lazily (one directory handle at
 * a time, pages of 500), never following symlinks, so nothing outside the folder
 * can be reached.
 */
export class LocalFolderSource implements PhotoSource {
  constructor(private readonly root: string) {}

  async *list(): Listing {
    const rootStat = await stat(this.root).catch(() => null);
    if (!rootStat?.isDirectory()) throw new SourceAccessError(`The folder ${this.root} no longer exists`);
    let page: SourceFile[] = [];
    for await (const file of this.walk(this.root)) {
      page.push(file);
      if (page.length === PAGE_SIZE) {
        yield { files: page };
        page = [];
      }
    }
    if (page.length) yield { files: page };
    return null;
  }

  private async *walk(dir: string): AsyncGenerator<SourceFile> {
    const handle = await opendir(dir);
    for await (const entry of handle) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        yield* this.walk(path);
        continue;
      }
      // Symlinks are never followed: they could lead out of the folder.
      if (!entry.isFile() || !PHOTO_EXTENSIONS.has(extensionOf(entry.name))) continue;
      const fileId = relative(this.root, path).split(sep).join('/');
      if (fileId.length > MAX_FILE_ID_LENGTH) continue;
      const info = await stat(path).catch(() => null);
      if (!info) continue;
      yield {
        fileId,
        name: entry.name,
        mimeType: MIME_BY_EXTENSION[extensionOf(entry.name)] ?? null,
        size: info.size,
        modifiedAt: info.mtime,
        fingerprint: `${info.size}:${Math.floor(info.mtimeMs)}`,
      };
    }
  }

  async readFile(fileId: string): Promise<Buffer> {
    if (isAbsolute(fileId) || fileId.includes('\0') || fileId.split('/').includes('..')) {
      throw new SourceFileGoneError(fileId);
    }
    const path = join(this.root, ...fileId.split('/'));
    const info = await lstat(path).catch(() => null);
    if (!info?.isFile()) throw new SourceFileGoneError(fileId);
    const real = await realpath(path);
    if (!isInside(await realpath(this.root), real)) throw new SourceFileGoneError(fileId);
    return readFile(real);
  }

  async readThumbnail(): Promise<Buffer | null> {
    return null;
  }
}
