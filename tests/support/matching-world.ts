/**
 * What the matching tests run against: a generated demo library, the setlist.fm and
 * Overpass stand-ins serving it, a database of the file's own (OpenStreetMap venues
 * and setlist.fm's shows are shared by all users), the real web app and a real worker.
 */
import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { generateDemoLibrary } from '../../scripts/demo-library/generate.js';
import { startOverpassStandIn } from '../../scripts/stand-ins/overpass-stand-in.js';
import { startSetlistFmStandIn, type SetlistFmStandInOptions } from '../../scripts/stand-ins/setlistfm-stand-in.js';
import { ownDatabase } from './own-database.js';
import { watchScan } from './scan-helpers.js';
import { startTestApp } from './test-app.js';
import { testEnv, uniqueEmail } from './test-env.js';
import { trpcHttpClient } from './trpc-http-client.js';
import { startWorkerProcess, stop } from './worker-process.js';

const API_KEY = 'test-setlistfm-key';

export interface MatchingWorldOptions {
  label: string;
  concerts: number;
  /** The demo festival too (two days at Flevopark; scripts/demo-library/lineup.ts). */
  festival?: boolean;
  /** Which processes reach the stand-ins: a worker without them stands for an outage or a missing API key. */
  outside: { web: boolean; worker: boolean };
  setlistfmFaults?: SetlistFmStandInOptions['faults'];
  /** Extra environment for the web app only (e.g. CLIENT_MODE 'vite' for browser tests). */
  appEnv?: Record<string, string>;
}

/** The password of every fan importDemoLibrary signs up, for tests that log in as them (in a browser). */
export const FAN_PASSWORD = 'correct horse battery';

export async function startMatchingWorld({ label, concerts, festival = false, outside, setlistfmFaults, appEnv = {} }: MatchingWorldOptions) {
  const libraryRoot = await mkdtemp(join(tmpdir(), `ch-${label}-`));
  const folder = join(libraryRoot, 'demo');
  const manifest = await generateDemoLibrary(folder, { concerts, photosPerConcert: 4, festival });
  const setlistfm = await startSetlistFmStandIn({ manifest, apiKey: API_KEY, ...(setlistfmFaults ? { faults: setlistfmFaults } : {}) });
  const overpass = await startOverpassStandIn();
  const database = await ownDatabase(label);
  const base = testEnv({ DATABASE_URL: database.url, LOCAL_IMPORT_ROOTS: libraryRoot, DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')) });
  const reachOut = { SETLISTFM_API_URL: setlistfm.url, SETLISTFM_API_KEY: API_KEY, OVERPASS_URL: overpass.url };
  const worker = await startWorkerProcess(outside.worker ? { ...base, ...reachOut } : base);
  const app = await startTestApp({ ...(outside.web ? { ...base, ...reachOut } : base), ...appEnv });

  /**
   * The user's own import folder (`<root>/<userId>`, see server/sources/local-import-grants.ts)
   * made a link to the one demo library, as an operator maps a user to where their photos
   * live: every fan has the same photos. Returns the path to add as a library.
   */
  async function folderFor(userId: number): Promise<string> {
    const own = join(libraryRoot, String(userId));
    await symlink(folder, own, 'dir');
    return own;
  }

  return {
    app,
    manifest,
    /** The demo library's folder itself (inside the import root). */
    folder,
    folderFor,
    setlistfm,
    overpass,
    /** A new user imports the demo library (through their own import folder) and watches the scan to its end. */
    async importDemoLibrary() {
      const { client } = trpcHttpClient(app.url);
      const user = await client.auth.signup.mutate({ email: uniqueEmail(label), password: FAN_PASSWORD, name: 'Fan' });
      const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: await folderFor(user.id) });
      const { scanId } = await client.scans.start.mutate({ sourceId });
      const snapshots = await watchScan(client, scanId, 240_000);
      expect(snapshots.at(-1)!.status).toBe('completed');
      return { user, client, snapshots };
    },
    async close() {
      await stop(worker);
      await app.close();
      await Promise.all([setlistfm.close(), overpass.close()]);
      await database.drop();
    },
  };
}

export type MatchingWorld = Awaited<ReturnType<typeof startMatchingWorld>>;
