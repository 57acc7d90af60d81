/**
 * The demo that `npm start` sets up: the generated concert photo library in
 * DATA_DIR/libraries/demo, an account to log in with, the library added as a
 * source and its first scan queued (the worker then does the rest).
 */
import { join } from 'node:path';
import type { AppConfig } from '../server/config.js';
import { ConflictError } from '../server/errors.js';
import type { Services } from '../server/services/index.js';
import { ensureDemoLibrary } from './demo-library/generate.js';

export const DEMO_ACCOUNT = { email: 'demo@concert-history.test', password: 'see-every-show-again', name: 'Demo Concertgoer' };

export async function ensureDemoAccount(config: AppConfig, services: Services): Promise<string> {
  const folder = join(config.dataDir, 'libraries', 'demo');
  if (!config.imports.localRoots.some((root) => folder.startsWith(root))) {
    return `No demo account: ${folder} is outside LOCAL_IMPORT_ROOTS.`;
  }
  console.log(`Checking the demo photo library in ${folder} (generated once, in about a minute)…`);
  const { manifest } = await ensureDemoLibrary(folder);
  let user;
  try {
    user = await services.auth.signup(DEMO_ACCOUNT);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    user = await services.auth.login(DEMO_ACCOUNT, '127.0.0.1');
  }
  const sources = await services.sources.list(user.id);
  if (!sources.some((source) => source.localPath === folder)) {
    const { id } = await services.sources.addLocalFolder(user.id, folder);
    await services.scans.start(user.id, id);
  }
  return `Demo account: ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password} (${manifest.photos.length} photos of ${manifest.concerts.length} concerts)`;
}
