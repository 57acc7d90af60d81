/**
 * Workers die without warning (OOM killer, a node lost): SIGKILL, several times,
 * during a scan and while starred photos get their variants. Their jobs come back
 * after the job lock and run again elsewhere; nothing is lost or counted twice.
 */
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photos } from '../../drizzle/schema/index.js';
import { spawnTs, waitForOutput, type Child } from '../support/child-process.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';
import {
  expectExactlyOnce,
  expectQueuesSettle,
  signUpAndAddLibrary,
  sleep,
  storageKeys,
  waitForDone,
  waitForEnd,
  writeFaultLibrary,
  type FaultLibrary,
} from './fault-scan.js';

let library: FaultLibrary;
let env: Record<string, string>;
let app: RunningApp;
const workers = new Set<Child>();

beforeAll(async () => {
  library = await writeFaultLibrary('sigkill', { photos: 96, copies: 4, seed: 0 });
  // Short locks: a killed worker's jobs are back in the queue after about two seconds, not thirty.
  env = testEnv({
    LOCAL_IMPORT_ROOTS: library.root,
    DATA_DIR: library.dataDir,
    RATE_LIMIT_API_PER_MIN: '0',
    WORKER_LOCK_DURATION_MS: '2000',
    WORKER_CONCURRENCY: 'photo=2,image=2',
  });
  app = await startTestApp(env);
}, 240_000);
afterAll(async () => {
  await Promise.all([...workers].map((child) => stop(child, 'SIGKILL')));
  await app?.close();
  if (library) await rm(library.root, { recursive: true, force: true });
});

async function startWorker() {
  const child = await startWorkerProcess(env);
  workers.add(child);
  return child;
}

/**
 * A replacement worker, not waited for: the scan goes on meanwhile, and on a busy
 * machine waiting for a process to boot could let the scan finish before the next kill.
 */
function replaceWorker(): { child: Child; ready: Promise<unknown> } {
  const child = spawnTs('worker/main.ts', env);
  workers.add(child);
  const ready = waitForOutput(child, /worker is running for queues/);
  ready.catch(() => {});
  return { child, ready };
}

async function kill(child: Child) {
  expect(await stop(child, 'SIGKILL')).toBeNull();
  workers.delete(child);
}

describe('workers killed with SIGKILL', () => {
  it('a scan whose workers are killed three times mid-way completes with every photo exactly once', async () => {
    const { client, user, sourceId } = await signUpAndAddLibrary(app, library.folder);
    // Two workers, so there is always one alive while a replacement starts.
    const [first, second] = await Promise.all([startWorker(), startWorker()]);
    let a = { child: first!, ready: Promise.resolve() as Promise<unknown> };
    let b = { child: second!, ready: Promise.resolve() as Promise<unknown> };
    const { scanId } = await client.scans.start.mutate({ sourceId });

    const files = library.expected.files;
    for (const [i, share] of [0.15, 0.4, 0.65].entries()) {
      const progress = await waitForDone(client, scanId, Math.floor(files * share));
      expect(progress.status).toBe('running');
      // Alternate between the two, so the one killed has been taking jobs for a while, and replace it.
      if (i % 2 === 0) {
        await kill(a.child);
        a = replaceWorker();
      } else {
        await kill(b.child);
        b = replaceWorker();
      }
    }
    // Once every file is in, the scan goes through dedup, grouping and matching: kill a worker there too.
    await waitForDone(client, scanId, files);
    await kill(b.child);
    b = replaceWorker();

    await waitForEnd(client, scanId);
    await Promise.all([a.ready, b.ready]);
    await expectExactlyOnce(app, { client, userId: user.id, sourceId, scanId }, library);
    expect(workers.size).toBe(2);

    // Starred photos get exactly three variants each, even with the worker rendering them killed.
    const starred = (
      await app.database.db.$primary.select({ id: photos.id }).from(photos).where(eq(photos.userId, user.id)).orderBy(photos.id).limit(6)
    ).map((row) => row.id);
    await kill(b.child);
    for (const id of starred) await client.photos.star.mutate({ id, starred: true });
    await sleep(150);
    await kill(a.child);
    await startWorker();
    const deadline = Date.now() + 120_000;
    for (;;) {
      const ready = await app.database.db.$primary
        .select({ id: photos.id, contentHash: photos.contentHash })
        .from(photos)
        .where(and(eq(photos.userId, user.id), inArray(photos.id, starred), isNotNull(photos.variantsKey)));
      if (ready.length === starred.length) {
        // Copies share variants (they are keyed by content): three objects per distinct starred photo.
        expect(await storageKeys(app, `users/${user.id}/variants/`)).toHaveLength(3 * new Set(ready.map((r) => r.contentHash)).size);
        break;
      }
      if (Date.now() > deadline) throw new Error(`variants of ${starred.length - ready.length} starred photos never appeared`);
      await sleep(200);
    }
    await expectQueuesSettle(app.config);
  }, 240_000);
});
