import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photos, processedFiles } from '../../drizzle/schema/index.js';
import type { Child } from '../support/child-process.js';
import { makeStagePhoto } from '../support/images.js';
import { copyToImportFolder } from '../support/photo-library.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { jobRunner, workerServicesOf } from '../support/worker-jobs.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

const PHOTOS = 40;
let app: RunningApp;
let env: Record<string, string>;
let root: string;
let folder: string;
let dataDir: string;
const running: Child[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ch-crash-'));
  folder = join(root, 'library');
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < PHOTOS; i += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, PHOTOS - i) }, async (_, j) =>
        writeFile(join(folder, `IMG_${1000 + i + j}.JPG`), await makeStagePhoto({ seed: 5_000 + i + j })),
      ),
    );
  }
  dataDir = await mkdtemp(join(tmpdir(), 'ch-data-'));
  // Short locks so a killed worker's jobs come back in about a second, not thirty.
  env = testEnv({
    LOCAL_IMPORT_ROOTS: root,
    LOCAL_IMPORT_SHARED: 'false',
    DATA_DIR: dataDir,
    WORKER_LOCK_DURATION_MS: '1000',
    WORKER_CONCURRENCY: 'photo=2',
  });
  app = await startTestApp(env);
});
afterAll(async () => {
  await Promise.all(running.map((child) => stop(child, 'SIGKILL')));
  await app?.close();
});

async function newUser() {
  const { client } = trpcHttpClient(app.url);
  const user = await client.auth.signup.mutate({ email: uniqueEmail('crash'), password: 'correct horse battery', name: 'Crash' });
  // The library, copied into the user's own import folder (<root>/<user id>).
  return { client, user, folder: await copyToImportFolder(folder, root, user.id) };
}

async function worker() {
  const child = await startWorkerProcess(env);
  running.push(child);
  return child;
}

describe('crash safety', () => {
  it('a scan whose workers are killed with SIGKILL mid-way completes with exactly one row per file and right counters', async () => {
    const { client, user, folder: own } = await newUser();
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: own });
    let current = await worker();
    const { scanId } = await client.scans.start.mutate({ sourceId });

    for (const threshold of [6, 18]) {
      // Read from the scan's tally in Redis, not over the API: polling that fast would meet the per-user API limit.
      await expect
        .poll(async () => (await app.services.repositories.scanProgress.get(scanId))?.counts.processed ?? 0, { timeout: 180_000, interval: 20 })
        .toBeGreaterThanOrEqual(threshold);
      expect(await stop(current, 'SIGKILL')).toBeNull();
      current = await worker();
    }

    const final = (await watchScan(client, scanId, 180_000)).at(-1)!;
    expect(final).toMatchObject({ status: 'completed', counts: { listed: PHOTOS, processed: PHOTOS, failed: 0 } });
    const rows = await app.database.db.select().from(photos).where(eq(photos.userId, user.id));
    expect(rows).toHaveLength(PHOTOS);
    expect(new Set(rows.map((row) => row.sourceFileId)).size).toBe(PHOTOS);
    expect(rows.every((row) => row.status === 'ready')).toBe(true);
    const synced = await app.database.db.select().from(processedFiles).where(eq(processedFiles.userId, user.id));
    expect(synced).toHaveLength(PHOTOS);
    // One thumbnail object per distinct photo, however often a file was half-processed.
    const thumbnails = (await readdir(join(dataDir, 'objects', 'users', String(user.id), 'thumbnails'))).filter((f) => f.endsWith('.webp'));
    expect(thumbnails).toHaveLength(new Set(rows.map((row) => row.contentHash)).size);
  });

  it('ingesting the same file twice at once, as two workers might, gives one photo row and counts it once', async () => {
    const { client, user, folder: own } = await newUser();
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: own });
    const scanId = (await app.services.repositories.scans.insertQueued(user.id, sourceId))!;
    const progress = app.services.repositories.scanProgress;
    await progress.init(scanId);
    await progress.markRunning(scanId);
    await progress.addListed(scanId, ['IMG_1000.JPG']);
    const payload = {
      scanId,
      userId: user.id,
      sourceId,
      file: { fileId: 'IMG_1000.JPG', name: 'IMG_1000.JPG', mimeType: 'image/jpeg', size: null, fingerprint: 'x' },
    };
    // The ingest job as a worker runs it (the file's tally included), three times, two at once.
    const run = jobRunner(workerServicesOf(app));
    await Promise.all([run('ingest-photo', payload), run('ingest-photo', payload)]);
    await run('ingest-photo', payload);

    const rows = await app.database.db.select().from(photos).where(eq(photos.userId, user.id));
    expect(rows).toHaveLength(1);
    expect((await progress.get(scanId))!.counts.processed).toBe(1);
  });
});
