import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ensureDemoLibrary, type GenerateDemoLibraryOptions } from '../../scripts/demo-library/generate.js';
import type { DemoLibraryManifest } from '../../scripts/demo-library/manifest.js';
import { startDemoStandIns } from '../../scripts/stand-ins/demo-stand-ins.js';
import type { Child } from './child-process.js';
import { ownDatabase } from './own-database.js';
import { watchScan } from './scan-helpers.js';
import { startTestApp, type RunningApp } from './test-app.js';
import { testEnv } from './test-env.js';
import { signedUpClient } from './trpc-http-client.js';
import { startWorkerProcess, stop } from './worker-process.js';

export interface DemoWorld {
  app: RunningApp;
  manifest: DemoLibraryManifest;
  /** A new user whose own copy of the demo library is scanned to the end; logged in through the API. */
  scannedUser(label: string): Promise<Awaited<ReturnType<typeof signedUpClient>> & { scanId: number }>;
  /** The user logged in on the page, at the timeline. */
  logIn(page: Page, email: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A demo library (scripts/demo-library) with the setlist.fm and Overpass stand-ins that
 * know it, a database of the test file's own, the real worker and the app serving the
 * client through Vite: what a browser test of a scan's results needs, started once.
 */
export async function startDemoWorld(label: string, library: GenerateDemoLibraryOptions, { hmrPortBase = 20_000 } = {}): Promise<DemoWorld> {
  const dataDir = await mkdtemp(join(tmpdir(), `ch-${label}-`));
  const root = join(dataDir, 'libraries');
  const demoFolder = join(root, 'demo');
  // Made first, as `npm start` does, so the stand-ins can serve its shows to both processes.
  const { manifest } = await ensureDemoLibrary(demoFolder, library);
  const standIns = await startDemoStandIns(manifest);
  const closers: Array<() => Promise<unknown>> = [standIns.close];
  let worker: Child | undefined;
  let app: RunningApp | undefined;
  const close = async () => {
    if (worker) await stop(worker);
    await app?.close();
    for (const closer of closers.reverse()) await closer();
  };
  try {
    const database = await ownDatabase(label.replace(/\W/g, '_'));
    closers.push(database.drop);
    const hmrPort = String(hmrPortBase + (process.pid % 5_000));
    const env = testEnv({ DATABASE_URL: database.url, DATA_DIR: dataDir, LOCAL_IMPORT_ROOTS: root, ...standIns.env });
    worker = await startWorkerProcess(env);
    app = await startTestApp({ ...env, CLIENT_MODE: 'vite', VITE_HMR_PORT: hmrPort });
  } catch (error) {
    await close();
    throw error;
  }
  const running = app;
  return {
    app: running,
    manifest,
    async scannedUser(userLabel) {
      const fan = await signedUpClient(running.url, userLabel, PASSWORD);
      const folder = join(root, `copy-${fan.user.id}`);
      await cp(demoFolder, folder, { recursive: true });
      const { id: sourceId } = await fan.client.sources.addLocalFolder.mutate({ path: folder });
      const { scanId } = await fan.client.scans.start.mutate({ sourceId });
      const seen = await watchScan(fan.client, scanId, 240_000);
      const last = seen.at(-1);
      if (last?.status !== 'completed') throw new Error(`the scan of ${userLabel} ended ${JSON.stringify(last)}`);
      return { ...fan, scanId };
    },
    async logIn(page, email) {
      await page.goto(running.url);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByTestId('user-name').waitFor();
    },
    close,
  };
}

const PASSWORD = 'a long enough password';
