/**
 * Private temporary files for bytes a source streams in (a Drive download, an upload
 * read back from storage for a video): one folder each, removed on release, and by
 * sweepDriveDownloads (google-drive-source.ts) when a killed worker never released it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Named for its first use; every source's temporary folders share it so one sweep covers them all. */
export const TEMP_FOLDER_PREFIX = 'ch-drive-';

export interface TempFile {
  path: string;
  release(): Promise<void>;
}

export async function tempFile(): Promise<TempFile> {
  const folder = await mkdtemp(join(tmpdir(), TEMP_FOLDER_PREFIX));
  return { path: join(folder, 'download'), release: () => rm(folder, { recursive: true, force: true }) };
}
