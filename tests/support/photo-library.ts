import { cp, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { emptyFile, makeBurst, makeStagePhoto, pngCopy, resizedCopy, textFileNamedJpeg, truncatedCopy } from './images.js';

const PARADISO = { latitude: 52.3622, longitude: 4.884 };

/**
 * A small library with one of everything a scan must handle: distinct photos, an
 * exact copy, a resized copy, a burst, a PNG, broken files, a symlink pointing
 * out of the folder and a non-photo file. Returns the expectations with it.
 */
export async function writeTestLibrary(root?: string) {
  const base = root ?? (await mkdtemp(join(tmpdir(), 'ch-lib-')));
  const folder = join(base, 'library');
  const put = async (path: string, bytes: Buffer) => {
    await mkdir(dirname(join(folder, path)), { recursive: true });
    await writeFile(join(folder, path), bytes);
  };
  const exifAt = (localTime: string) => ({ localTime, ...PARADISO, make: 'Fujifilm', model: 'X100V' });
  const first = await makeStagePhoto({ seed: 101, exif: exifAt('2019-07-05T21:30:00') });
  const second = await makeStagePhoto({ seed: 202, exif: exifAt('2019-07-05T21:45:00') });
  const burst = await makeBurst({ seed: 303, frames: 3, exifOfFrame: (i) => exifAt(`2019-07-05T22:00:0${i}`) });
  await put('show/IMG_0001.JPG', first);
  await put('copies/IMG_0001.JPG', first);
  await put('copies/IMG_0001-small.jpg', await resizedCopy(first, 0.5));
  await put('show/IMG_0002.JPG', second);
  for (const [i, frame] of burst.entries()) await put(`show/burst/IMG_01${i}.JPG`, frame);
  await put('other/scan.png', await pngCopy(await makeStagePhoto({ seed: 404 })));
  await put('broken/empty.jpg', emptyFile());
  await put('broken/truncated.jpg', truncatedCopy(second));
  await put('broken/notes.jpg', textFileNamedJpeg());
  await put('readme.txt', Buffer.from('not a photo'));
  await symlink('/etc/hostname', join(folder, 'escape.jpg'));
  return {
    root: base,
    folder,
    expected: { listed: 11, processed: 8, failed: 3, extraCopies: 2, burstFrames: 3 },
  };
}

/**
 * A copy of a library in a user's own import folder, `<root>/<userId>/<name>` (see
 * server/sources/local-import-grants.ts), as that user would put their photos there.
 * Links are copied as links, so the one pointing out of the library still does.
 */
export async function copyToImportFolder(folder: string, root: string, userId: number, name = basename(folder)): Promise<string> {
  const target = join(root, String(userId), name);
  await cp(folder, target, { recursive: true, verbatimSymlinks: true });
  return target;
}
