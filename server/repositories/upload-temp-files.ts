/**
 * The bytes of an upload while a web server receives them: one file per photo,
 * in a folder per user on the web server's own disk (`<root>/<user id>/<uuid>.part`,
 * readable by the server's user only). The upload service deletes each file on
 * every way out; account deletion removes the user's folder; the sweeper removes
 * what a crashed or killed server left behind.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const USER_FOLDER = /^[1-9]\d*$/;
const TEMP_FILE = /^[0-9a-f-]{36}\.part$/;

export class UploadTempFiles {
  constructor(readonly root: string) {}

  private folderOf(userId: number): string {
    if (!Number.isSafeInteger(userId) || userId <= 0) throw new Error(`Invalid user id for an upload folder: ${userId}`);
    return join(this.root, String(userId));
  }

  /** A new, empty temp file of this user's, opened for writing (exclusive create, mode 0600). */
  async create(userId: number): Promise<{ path: string; writer: WriteStream }> {
    const folder = this.folderOf(userId);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const path = join(folder, `${randomUUID()}.part`);
    return { path, writer: createWriteStream(path, { flags: 'wx', mode: 0o600 }) };
  }

  reader(path: string): ReadStream {
    return createReadStream(path);
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  /** Everything of this user's in flight on this server. */
  async removeUser(userId: number): Promise<void> {
    await rm(this.folderOf(userId), { recursive: true, force: true });
  }

  /**
   * Deletes temp files untouched for `olderThanMs` (a file being received is written
   * to all the time, and one being stored is read within minutes), and user folders
   * left empty as long. Answers how many files went.
   */
  async sweep(olderThanMs: number, now = Date.now()): Promise<number> {
    const cutoff = now - olderThanMs;
    let removed = 0;
    for (const folder of await entriesOf(this.root)) {
      if (!folder.isDirectory() || !USER_FOLDER.test(folder.name)) continue;
      const folderPath = join(this.root, folder.name);
      for (const file of await entriesOf(folderPath)) {
        if (!file.isFile() || !TEMP_FILE.test(file.name)) continue;
        const path = join(folderPath, file.name);
        const info = await stat(path).catch(() => null);
        if (info && info.mtimeMs < cutoff) {
          await rm(path, { force: true });
          removed += 1;
        }
      }
      const info = await stat(folderPath).catch(() => null);
      // rmdir refuses a folder that is not empty: an upload that just started keeps its folder.
      if (info && info.mtimeMs < cutoff) await rmdir(folderPath).catch(() => {});
    }
    return removed;
  }
}

async function entriesOf(path: string) {
  return readdir(path, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
}
