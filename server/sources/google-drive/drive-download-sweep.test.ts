import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepDriveDownloads } from './google-drive-source.js';

let parent: string;
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'ch-sweep-test-'));
});
afterEach(() => rm(parent, { recursive: true, force: true }));

async function download(name: string, ageMs: number, now: number) {
  const folder = join(parent, name);
  await mkdir(folder);
  await writeFile(join(folder, 'download'), 'bytes');
  const when = new Date(now - ageMs);
  await utimes(join(folder, 'download'), when, when);
  await utimes(folder, when, when);
}

describe('the sweep of Drive downloads a killed worker left behind', () => {
  it('removes download folders untouched for longer than the age, and keeps fresh ones and other folders', async () => {
    const now = Date.now();
    await download('ch-drive-old', 2 * 3600_000, now);
    await download('ch-drive-fresh', 60_000, now);
    await download('not-ours', 5 * 3600_000, now);
    expect(await sweepDriveDownloads(3600_000, parent, now)).toBe(1);
    expect((await readdir(parent)).sort()).toEqual(['ch-drive-fresh', 'not-ours']);
  });

  it('keeps a folder whose download is still being written though the folder is old', async () => {
    const now = Date.now();
    await download('ch-drive-busy', 2 * 3600_000, now);
    await utimes(join(parent, 'ch-drive-busy', 'download'), new Date(now), new Date(now));
    expect(await sweepDriveDownloads(3600_000, parent, now)).toBe(0);
  });
});
