/**
 * The demo that `npm start` sets up: an account to log in with, the generated
 * concert photo library in that account's own import folder
 * (DATA_DIR/libraries/<user id>/demo, or DATA_DIR/libraries/demo when
 * LOCAL_IMPORT_SHARED is on), and the library added as a source.
 *
 * Its first scan is not started here: `npm start` starts it when the demo account
 * first logs in (waitForFirstLogin), so the newcomer watches it live on the timeline
 * instead of arriving after it is over. It is the app's doing, not the user's, so it
 * does not count against their hourly scan starts.
 */
import { existsSync } from 'node:fs';
import { mkdir, realpath, rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig } from '../server/config.js';
import { ConflictError } from '../server/errors.js';
import type { Services } from '../server/services/index.js';
import { ensureDemoLibrary, MANIFEST_FILE, type GenerateDemoLibraryOptions } from './demo-library/generate.js';
import type { DemoLibraryManifest } from './demo-library/manifest.js';

export const DEMO_ACCOUNT = { email: 'demo@concert-history.test', password: 'see-every-show-again', name: 'Demo Concertgoer' };

export interface DemoAccount {
  note: string;
  /** Where the demo library is; null when there is no demo account. */
  folder: string | null;
  demo: {
    userId: number;
    sourceId: number;
    manifest: DemoLibraryManifest;
    /** The library was never scanned: its first scan waits for the demo account's first login. */
    firstScanPending: boolean;
  } | null;
}

export async function ensureDemoAccount(
  config: AppConfig,
  services: Services,
  { library = {} }: { library?: GenerateDemoLibraryOptions } = {},
): Promise<DemoAccount> {
  const root = resolve(config.dataDir, 'libraries');
  const rootIndex = config.imports.localRoots.indexOf(root);
  if (rootIndex < 0) return { note: `No demo account: ${root} is not one of LOCAL_IMPORT_ROOTS.`, folder: null, demo: null };
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
  const { manifest } = await ensureDemoLibrary(folder, library);
  const stored = await realpath(folder);
  const existing = (await services.sources.list(user.id)).find((source) => source.localPath === stored);
  const sourceId = existing?.id ?? (await services.sources.addLocalFolder(user.id, folder)).id;
  const scans = await services.repositories.scans.listByUser(user.id, 1_000);
  return {
    note: `${manifest.photos.length} photos of ${manifest.concerts.length} concerts${manifest.festivals.length ? ` and a ${manifest.festivals[0]!.days.length}-day festival` : ''}`,
    folder,
    demo: { userId: user.id, sourceId, manifest, firstScanPending: !scans.some((scan) => scan.sourceId === sourceId) },
  };
}

/**
 * Starts a scan of the demo library on the app's behalf: like a scheduled rescan, it is not one of the
 * user's scan starts of the hour. Null when one is already queued or running.
 */
export async function startDemoScan(services: Services, userId: number, sourceId: number): Promise<{ scanId: number } | null> {
  const scanId = await services.repositories.scans.insertQueued(userId, sourceId);
  if (!scanId) return null;
  await services.repositories.scanProgress.init(scanId);
  await services.queues.add('scan-source', { scanId, userId, sourceId });
  await services.viewCache.bumpUser(userId);
  return { scanId };
}

/**
 * Resolves when the user logs in (or signs up) on any web server: a session id appears in their session index
 * that was not there when the wait began. Rejects with the signal's reason when aborted.
 */
export async function waitForFirstLogin(
  services: Services,
  userId: number,
  { signal, intervalMs = 500 }: { signal?: AbortSignal; intervalMs?: number } = {},
) {
  const before = new Set(await services.sessions.idsOf(userId));
  for (;;) {
    await sleep(intervalMs, undefined, { signal });
    if ((await services.sessions.idsOf(userId)).some((id) => !before.has(id))) return;
  }
}

/** Before per-user import folders the library was generated in DATA_DIR/libraries/demo: moved, not made again. */
async function adoptEarlierDemoLibrary(earlier: string, folder: string) {
  if (earlier === folder || existsSync(folder) || !existsSync(join(earlier, MANIFEST_FILE))) return;
  await mkdir(join(folder, '..'), { recursive: true });
  await rename(earlier, folder);
}
