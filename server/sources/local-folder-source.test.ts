import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, realpath, rename, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFolderSource } from './local-folder-source.js';
import { FileTooLargeError, SourceFileGoneError, type Listing, type ListingPage } from './photo-source.js';

let base: string;
let folder: string;
beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'ch-folder-')));
  folder = join(base, 'library');
  await mkdir(join(folder, 'day1'), { recursive: true });
  await writeFile(join(folder, 'day1', 'a.jpg'), 'first photo');
  await writeFile(join(folder, 'b.jpg'), 'second photo');
  await mkdir(join(base, 'elsewhere'));
  await writeFile(join(base, 'elsewhere', 'a.jpg'), 'someone else');
});
// GNU rm removes the too-long chain below, which Node's rm cannot.
afterEach(() => void spawnSync('rm', ['-rf', base]));

/** A source whose folder check passes: these tests are about what happens inside the folder. */
const source = (readWholeMaxBytes?: number) => new LocalFolderSource(async () => folder, readWholeMaxBytes);

async function collect(listing: Listing): Promise<ListingPage[]> {
  const pages: ListingPage[] = [];
  for (let step = await listing.next(); !step.done; step = await listing.next()) pages.push(step.value);
  return pages;
}

describe('LocalFolderSource', () => {
  it('lists photos, skips links, and reports a subfolder it cannot open instead of failing the listing', async () => {
    await symlink(join(base, 'elsewhere'), join(folder, 'linked'));
    await symlink(join(base, 'elsewhere', 'a.jpg'), join(folder, 'linked.jpg'));
    const made = spawnSync('bash', [
      '-c',
      `cd "$1" && for i in $(seq 1 24); do mkdir ${'d'.repeat(200)} && cd ${'d'.repeat(200)} || exit 1; done`,
      'bash',
      folder,
    ]);
    expect(made.status).toBe(0);

    const pages = await collect(source().list());

    expect(pages.flatMap((page) => page.files.map((file) => file.fileId)).sort()).toEqual(['b.jpg', 'day1/a.jpg']);
    const unreadable = pages.flatMap((page) => page.unreadable ?? []);
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]!.id.length).toBeLessThanOrEqual(255);
    expect(unreadable[0]!.id).toMatch(/\/$/);
    expect(unreadable[0]!.reason).toBe('This folder was skipped: its path is too long for the server');
    expect(unreadable[0]!.reason).not.toContain(base);
  });

  it('reads a small file whole from the descriptor it checked', async () => {
    const opened = await source().openFile('b.jpg', { maxBytes: 1024 });
    expect(opened).toMatchObject({ input: Buffer.from('second photo'), size: 12 });
    await opened.release();
  });

  it('hands a large file over by its open descriptor, which keeps reading the checked file whatever its path becomes', async () => {
    const opened = await source(4).openFile('day1/a.jpg', { maxBytes: 1024 });
    try {
      expect(opened.input).toMatch(/^\/proc\/self\/fd\/\d+$/);
      await rename(join(folder, 'day1'), join(folder, 'day1-old'));
      await symlink(join(base, 'elsewhere'), join(folder, 'day1'));
      expect(await readFile(opened.input as string, 'utf8')).toBe('first photo');
    } finally {
      await opened.release();
    }
  });

  it('refuses a file reached through a subfolder swapped for a link, a link itself, a path out of the folder, or one over the limit', async () => {
    await symlink(join(base, 'elsewhere', 'a.jpg'), join(folder, 'link.jpg'));
    await rename(join(folder, 'day1'), join(folder, 'day1-old'));
    await symlink(join(base, 'elsewhere'), join(folder, 'day1'));
    for (const fileId of ['day1/a.jpg', 'link.jpg', '../elsewhere/a.jpg', '/etc/hostname']) {
      await expect(source().openFile(fileId, { maxBytes: 1024 }), fileId).rejects.toBeInstanceOf(SourceFileGoneError);
    }
    await expect(source().openFile('b.jpg', { maxBytes: 4 })).rejects.toThrow(new FileTooLargeError(4).message);
  });
});
