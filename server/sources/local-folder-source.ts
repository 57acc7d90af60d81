import { createHash } from 'node:crypto';
import { constants, type Dir } from 'node:fs';
import { open, opendir, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import { isInside } from './local-import-grants.js';
import {
  FileTooLargeError,
  SourceAccessError,
  SourceFileGoneError,
  inMemoryFile,
  type FileLimits,
  type Listing,
  type OpenedFile,
  type PhotoSource,
  type SourceFile,
  type UnreadableEntry,
} from './photo-source.js';

const PAGE_SIZE = 500;
const MAX_FILE_ID_LENGTH = 255;
const MIME_BY_EXTENSION: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.avif': 'image/avif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.gif': 'image/gif',
  // Phone and camera videos (their content decides: see server/media/video-format.ts).
  '.mov': 'video/quicktime',
  '.mp4': 'video/mp4',
  '.m4v': 'video/x-m4v',
};
/** Formats we try to ingest; anything else in the folder (documents, sidecars) is not a photo or a video. */
const MEDIA_EXTENSIONS = new Set(Object.keys(MIME_BY_EXTENSION));

/**
 * Files up to this size are read whole, in one go, from the descriptor that was checked (a photo of a
 * phone or camera is a few MB): cheaper than three readers opening it. Larger ones are read from disk in
 * pieces. Memory per ingest job stays under this bound whatever the library holds.
 */
const READ_WHOLE_MAX_BYTES = 32 * 1024 * 1024;

/** Never blocks on a FIFO named like a photo, never follows a link in the last part of the path. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}

/** Error codes a user can act on; anything else is named by its code only (a Node message would carry the server path). */
const REASONS: Record<string, string> = {
  ENAMETOOLONG: 'its path is too long for the server',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'it was replaced by a link, which is not followed',
  ENOTDIR: 'it is no longer a folder',
};

function reasonOf(error: unknown): string {
  const code = (error as { code?: string }).code;
  return (code && REASONS[code]) ?? `the server could not read it (${code ?? 'unknown error'})`;
}

/** A relative path as an entry id of at most 255 chars: too long ones keep their start and a hash of the whole. */
function entryId(relativePath: string, suffix: string): string {
  const id = `${relativePath}${suffix}`;
  if (id.length <= MAX_FILE_ID_LENGTH) return id;
  return `${relativePath.slice(0, 180)}…#${createHash('sha256').update(relativePath).digest('hex').slice(0, 32)}${suffix}`;
}

/** The file's first `size` bytes (what it held when checked; a file that grew since is not read further). */
async function readAtMost(handle: FileHandle, size: number): Promise<Buffer> {
  const buffer = Buffer.alloc(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** The path of what a handle has open, as the kernel sees it now: immune to a link swapped in after the open. */
async function locationOf(handle: FileHandle, path: string): Promise<{ real: string; readable: string }> {
  const procPath = `/proc/self/fd/${handle.fd}`;
  const real = await readlink(procPath).catch(() => null);
  // Reading through /proc/self/fd/N reads the very file that was checked, whatever happens to its path. (The number
  // is reused after release; libvips does not cache file loads by name, so the next file there is read afresh.)
  if (real && isAbsolute(real)) return { real, readable: procPath };
  const resolved = await realpath(path);
  return { real: resolved, readable: resolved };
}

/**
 * A folder on the server. Walks it lazily (one directory handle per level, pages of
 * 500), never following links, so nothing outside the folder is listed or read.
 * `verifyFolder` re-checks the folder against the user's grant before every listing
 * and every file read (see local-import-grants.ts). A subfolder that cannot be read
 * becomes an unreadable entry with its reason; the rest of the folder is still listed.
 */
export class LocalFolderSource implements PhotoSource {
  constructor(
    private readonly verifyFolder: () => Promise<string>,
    private readonly readWholeMaxBytes = READ_WHOLE_MAX_BYTES,
  ) {}

  async *list(): Listing {
    const root = await this.verifyFolder();
    let files: SourceFile[] = [];
    let unreadable: UnreadableEntry[] = [];
    for await (const entry of this.walk(root, root)) {
      if ('reason' in entry) unreadable.push(entry);
      else files.push(entry);
      if (files.length + unreadable.length === PAGE_SIZE) {
        yield { files, unreadable };
        files = [];
        unreadable = [];
      }
    }
    if (files.length || unreadable.length) yield { files, unreadable };
    return null;
  }

  private async *walk(root: string, dir: string): AsyncGenerator<SourceFile | UnreadableEntry> {
    const folderId = () => entryId(relative(root, dir).split(sep).join('/'), '/');
    const unreadableFolder = (error: unknown): UnreadableEntry => ({
      id: folderId(),
      name: basename(dir).slice(0, 255),
      reason: `This folder was skipped: ${reasonOf(error)}`,
    });
    let handle: Dir;
    try {
      // A subfolder swapped for a link after its parent was read would lead elsewhere.
      if (dir !== root && (await realpath(dir)) !== dir) throw Object.assign(new Error('replaced by a link'), { code: 'ELOOP' });
      handle = await opendir(dir);
    } catch (error) {
      if (dir === root) throw new SourceAccessError(`The folder of this library could not be read: ${reasonOf(error)}`);
      // Gone since its parent was listed: nothing to report.
      if ((error as { code?: string }).code !== 'ENOENT') yield unreadableFolder(error);
      return;
    }
    try {
      for await (const entry of handle) {
        if (entry.name.startsWith('.')) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          yield* this.walk(root, path);
          continue;
        }
        // Links are never followed: they could lead out of the folder.
        if (!entry.isFile() || !MEDIA_EXTENSIONS.has(extensionOf(entry.name))) continue;
        const relativePath = relative(root, path).split(sep).join('/');
        const name = entry.name.slice(0, 255);
        if (relativePath.length > MAX_FILE_ID_LENGTH) {
          yield {
            id: entryId(relativePath, ''),
            name,
            reason: `This file was skipped: its path in the library is longer than ${MAX_FILE_ID_LENGTH} characters`,
          };
          continue;
        }
        let info;
        try {
          info = await stat(path);
        } catch (error) {
          if ((error as { code?: string }).code !== 'ENOENT') yield { id: relativePath, name, reason: `This file was skipped: ${reasonOf(error)}` };
          continue;
        }
        yield {
          fileId: relativePath,
          name: entry.name,
          mimeType: MIME_BY_EXTENSION[extensionOf(entry.name)] ?? null,
          size: info.size,
          modifiedAt: info.mtime,
          fingerprint: `${info.size}:${Math.floor(info.mtimeMs)}`,
        };
      }
    } catch (error) {
      // Failed part-way (an I/O error): what was listed stays listed, the folder is reported.
      yield unreadableFolder(error);
    }
  }

  /**
   * The file opened once, without following links, and checked inside the folder as the kernel resolved it; then
   * its bytes (small files) or the path of that very descriptor (large ones, read by sharp, exifr and the hash in
   * pieces, so their size costs no memory).
   */
  async openFile(fileId: string, { maxBytes, asFile = false }: FileLimits): Promise<OpenedFile> {
    if (isAbsolute(fileId) || fileId.includes('\0') || fileId.split('/').some((part) => part === '..' || part === '')) {
      throw new SourceFileGoneError(fileId);
    }
    const root = await this.verifyFolder();
    const path = join(root, ...fileId.split('/'));
    const handle = await open(path, OPEN_FLAGS).catch(() => null);
    if (!handle) throw new SourceFileGoneError(fileId);
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new SourceFileGoneError(fileId);
      const { real, readable } = await locationOf(handle, path);
      // A folder on the way swapped for a link since the listing: the open went elsewhere.
      if (!isInside(root, real)) throw new SourceFileGoneError(fileId);
      if (info.size > maxBytes) throw new FileTooLargeError(maxBytes);
      if (!asFile && info.size <= this.readWholeMaxBytes) {
        const bytes = await readAtMost(handle, info.size);
        await handle.close();
        return inMemoryFile(bytes, { maxBytes });
      }
      return { input: readable, size: info.size, release: () => handle.close() };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async readThumbnail(): Promise<Buffer | null> {
    return null;
  }
}
