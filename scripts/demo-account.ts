/**
 * The demo that `npm start` sets up: an account to log in with, the generated
 * concert photo library in that account's own import folder
 * (DATA_DIR/libraries/<user id>/demo, or DATA_DIR/libraries/demo when
 * LOCAL_IMPORT_SHARED is on), the library added as a source and its first scan
 * queued (the worker then does the rest).
 */
import { existsSync } from 'node:fs';
import { mkdir, realpath, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AppConfig } from '../server/config.js';
import { ConflictError } from '../server/errors.js';
import type { Services } from '../server/services/index.js';
import { ensureDemoLibrary, MANIFEST_FILE } from './demo-library/generate.js';

export const DEMO_ACCOUNT = { email: 'demo@concert-history.test', password: 'see-every-show-again', name: 'Demo Concertgoer' };

export interface DemoAccount {
  note: string;
  /** Where the demo library is; null when there is no demo account. */
  folder: string | null;
}

export async function ensureDemoAccount(config: AppConfig, services: Services): Promise<DemoAccount> {
  const root = resolve(config.dataDir, 'libraries');
  const rootIndex = config.imports.localRoots.indexOf(root);
  if (rootIndex < 0) return { note: `No demo account: ${root} is not one of LOCAL_IMPORT_ROOTS.`, folder: null };
  let user;
  try {
    user = await services.auth.signup(DEMO_ACCOUNT);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    user = await services.auth.login(DEMO_ACCOUNT, '127.0.0.1');
  }
  const grant = services.sources.localImports.foldersOf(user.id)[rootIndex]!;
  const folder = join(grant, 'demo');
  await adoptEarlierDemoLibrary(join(root, 'demo'), folder);
  console.log(`Checking the demo photo library in ${folder} (generated once, in about a minute)…`);
  const { manifest } = await ensureDemoLibrary(folder);
  const stored = await realpath(folder);
  const sources = await services.sources.list(user.id);
  if (!sources.some((source) => source.localPath === stored)) {
    const { id } = await services.sources.addLocalFolder(user.id, folder);
    await services.scans.start(user.id, id);
  }
  return {
    note: `Demo account: ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password} (${manifest.photos.length} photos of ${manifest.concerts.length} concerts)`,
    folder,
  };
}

/** Before per-user import folders the library was generated in DATA_DIR/libraries/demo: moved, not made again. */
async function adoptEarlierDemoLibrary(earlier: string, folder: string) {
  if (earlier === folder || existsSync(folder) || !existsSync(join(earlier, MANIFEST_FILE))) return;
  await mkdir(join(folder, '..'), { recursive: true });
  await rename(earlier, folder);
}
