/**
 * Server folders (LOCAL_IMPORT_ROOTS) without LOCAL_IMPORT_SHARED: each user reaches
 * only their own folder, `<root>/<user id>`, checked with links resolved when a folder
 * is added and again at every listing and file read; refusals never tell whether a
 * path exists. Also: one library per folder, a folder the scan cannot read fails on
 * its own, and a file over INGEST_MAX_FILE_MB fails with a reason, never read whole.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photos, scans, sources } from '../../drizzle/schema/index.js';
import type { Child } from '../support/child-process.js';
import { makeStagePhoto } from '../support/images.js';
import { watchScan } from '../support/scan-helpers.js';
import { signUp, type User } from '../support/security-world.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { trpcFailure } from '../support/trpc-http-client.js';
import { jobRunner, workerServicesOf } from '../support/worker-jobs.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

const MAX_FILE_MB = 1;
let app: RunningApp;
let worker: Child;
let root: string;
let dataDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ch-imports-'));
  dataDir = await mkdtemp(join(tmpdir(), 'ch-data-'));
  const env = testEnv({
    LOCAL_IMPORT_ROOTS: root,
    LOCAL_IMPORT_SHARED: 'false',
    DATA_DIR: dataDir,
    INGEST_MAX_FILE_MB: String(MAX_FILE_MB),
    RATE_LIMIT_API_PER_MIN: '0',
  });
  app = await startTestApp(env);
  worker = await startWorkerProcess(env);
});
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
  // GNU rm walks folder by folder, so the too-long chain made below goes too (Node's rm gives up with ENAMETOOLONG).
  if (root) spawnSync('rm', ['-rf', root]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

let seed = 9_000;
/** `count` photos in `<root>/<user id>/<name>` (made here, as an operator or the user would). */
async function photoFolder(user: User, name: string, count = 2): Promise<string> {
  const folder = join(root, String(user.user.id), name);
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i++) await writeFile(join(folder, `IMG_${i}.JPG`), await makeStagePhoto({ seed: seed++ }));
  return folder;
}

const sourcesOf = (userId: number) => app.database.db.select().from(sources).where(eq(sources.userId, userId));
const photosOf = (userId: number) => app.database.db.select().from(photos).where(eq(photos.userId, userId));

async function scanToEnd(user: User, sourceId: number) {
  const { scanId } = await user.client.scans.start.mutate({ sourceId });
  return { scanId, final: (await watchScan(user.client, scanId)).at(-1)! };
}

/** One ingest job run in this process, as a worker would run it for a file the listing found. */
async function ingestNow(user: User, sourceId: number, fileId: string, size: number | null) {
  const scanId = (await app.services.repositories.scans.insertQueued(user.user.id, sourceId))!;
  const progress = app.services.repositories.scanProgress;
  await progress.init(scanId);
  await progress.markRunning(scanId);
  await progress.addListed(scanId, [fileId]);
  const file = { fileId, name: fileId.split('/').at(-1)!, mimeType: 'image/jpeg', size, fingerprint: `test-${scanId}` };
  await jobRunner(workerServicesOf(app))('ingest-photo', { scanId, userId: user.user.id, sourceId, file }, { attempt: { number: 1, of: 1 } });
  const [row] = await app.database.db
    .select()
    .from(photos)
    .where(and(eq(photos.userId, user.user.id), eq(photos.sourceId, sourceId), eq(photos.sourceFileId, fileId)));
  return row!;
}

describe('each user imports only from their own folder', () => {
  it("refuses another user's folder, the whole root and the root's parent, and shows the user their own, made on first look", async () => {
    const alice = await signUp(app, 'alice');
    const bob = await signUp(app, 'bob');
    const bobs = await photoFolder(bob, 'concerts');
    for (const path of [bobs, dirname(bobs), root, dirname(root)]) {
      const error = await trpcFailure(alice.client.sources.addLocalFolder.mutate({ path }));
      expect(error.data?.code, path).toBe('BAD_REQUEST');
    }
    expect(await sourcesOf(alice.user.id)).toEqual([]);
    // Bob's own folder is his to add.
    expect((await bob.client.sources.addLocalFolder.mutate({ path: bobs })).id).toBeGreaterThan(0);

    const own = join(root, String(alice.user.id));
    expect(existsSync(own)).toBe(false);
    expect(await alice.client.sources.importFolders.query()).toEqual({ enabled: true, shared: false, folders: [{ path: own, ready: true }] });
    expect(existsSync(own)).toBe(true);
  });

  it("answers the same for a path that exists and one that does not, naming only the user's own folder", async () => {
    const alice = await signUp(app, 'alice');
    const bob = await signUp(app, 'bob');
    const bobs = await photoFolder(bob, 'private', 1);
    const own = join(root, String(alice.user.id));
    const messages = new Set<string>();
    for (const path of [bobs, join(dirname(bobs), 'no-such-folder'), '/etc', '/no/such/place', root, join(own, 'missing')]) {
      const error = await trpcFailure(alice.client.sources.addLocalFolder.mutate({ path }));
      expect(error.data?.code, path).toBe('BAD_REQUEST');
      messages.add(error.message);
    }
    expect([...messages]).toEqual([
      `There is no folder you may import from at that path. Your import folder is ${own}: put your photos there and give that folder or one inside it.`,
    ]);
  });

  it("refuses a link in the user's folder that leads into another user's folder", async () => {
    const alice = await signUp(app, 'alice');
    const bob = await signUp(app, 'bob');
    const bobs = await photoFolder(bob, 'concerts', 1);
    await mkdir(join(root, String(alice.user.id)), { recursive: true });
    const link = join(root, String(alice.user.id), 'shortcut');
    await symlink(bobs, link);
    expect((await trpcFailure(alice.client.sources.addLocalFolder.mutate({ path: link }))).data?.code).toBe('BAD_REQUEST');
    expect(await sourcesOf(alice.user.id)).toEqual([]);
  });

  it('stops scanning a library whose folder was replaced by a link after it was added, with a clear reason, reading nothing behind it', async () => {
    const alice = await signUp(app, 'alice');
    const bob = await signUp(app, 'bob');
    const bobs = await photoFolder(bob, 'concerts', 3);
    const shows = await photoFolder(alice, 'shows', 1);
    const { id: sourceId } = await alice.client.sources.addLocalFolder.mutate({ path: shows });

    await rename(shows, `${shows}-old`);
    await symlink(bobs, shows);
    const { scanId, final } = await scanToEnd(alice, sourceId);

    expect(final.status).toBe('failed');
    const [scan] = await app.database.db.select().from(scans).where(eq(scans.id, scanId));
    expect(scan!.error).toMatch(/no longer one you may import from: it was moved, removed or replaced by a link/);
    expect(scan!.error).not.toContain(bobs);
    expect(await photosOf(alice.user.id)).toEqual([]);
  });

  it('refuses, at read time, a file reached through a subfolder replaced by a link since the listing', async () => {
    const alice = await signUp(app, 'alice');
    const bob = await signUp(app, 'bob');
    const bobs = await photoFolder(bob, 'concerts', 1);
    const library = await photoFolder(alice, 'library', 0);
    await photoFolder(alice, 'library/day1', 1);
    const { id: sourceId } = await alice.client.sources.addLocalFolder.mutate({ path: library });

    // Listed as day1/IMG_0.JPG; then day1 becomes a link to Bob's folder, which holds a file of that name.
    await rename(join(library, 'day1'), join(library, 'day1-old'));
    await symlink(bobs, join(library, 'day1'));
    const row = await ingestNow(alice, sourceId, 'day1/IMG_0.JPG', null);

    expect(row).toMatchObject({ status: 'failed', contentHash: null, thumbnailKey: null });
    expect(row.failureReason).toMatch(/no longer in the library/);
  });
});

describe('one library per folder', () => {
  it('refuses the same folder a second time, even when added at once or spelled through a link, naming the library it is', async () => {
    const alice = await signUp(app, 'alice');
    const folder = await photoFolder(alice, 'gigs', 1);
    const attempts = await Promise.allSettled([0, 1, 2].map(() => alice.client.sources.addLocalFolder.mutate({ path: folder })));
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
    for (const attempt of attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected')) {
      expect(attempt.reason.data?.code).toBe('CONFLICT');
      expect(attempt.reason.message).toBe('This folder is already one of your libraries (“gigs”)');
    }
    const alias = join(root, String(alice.user.id), 'gigs-alias');
    await symlink(folder, alias);
    expect((await trpcFailure(alice.client.sources.addLocalFolder.mutate({ path: `${alias}/` }))).data?.code).toBe('CONFLICT');
    expect(await sourcesOf(alice.user.id)).toHaveLength(1);
  });
});

describe('what a scan cannot read', () => {
  it('records a subfolder it cannot open as a failure with its reason, and scans the rest', async () => {
    const alice = await signUp(app, 'alice');
    const library = await photoFolder(alice, 'library', 2);
    // A chain of folders whose full path outgrows the server's limit (ENAMETOOLONG), made step by step with relative paths.
    const segment = 'd'.repeat(200);
    const made = spawnSync('bash', ['-c', `cd "$1" && for i in $(seq 1 24); do mkdir ${segment} && cd ${segment} || exit 1; done`, 'bash', library]);
    expect(made.status, made.stderr.toString()).toBe(0);
    const { id: sourceId } = await alice.client.sources.addLocalFolder.mutate({ path: library });

    const { scanId, final } = await scanToEnd(alice, sourceId);

    expect(final).toMatchObject({ status: 'completed', counts: { listed: 3, processed: 2, failed: 1 } });
    const failures = await alice.client.scans.failures.query({ scanId });
    expect(failures).toHaveLength(1);
    expect(failures[0]!.sourceFileId).toMatch(/\/$/);
    expect(failures[0]!.fileName).toBe(segment);
    expect(failures[0]!.reason).toBe('This folder was skipped: its path is too long for the server');
    const ready = (await photosOf(alice.user.id))
      .filter((photo) => photo.status === 'ready')
      .map((photo) => photo.sourceFileId)
      .sort();
    expect(ready).toEqual(['IMG_0.JPG', 'IMG_1.JPG']);
  });
});

describe('files over INGEST_MAX_FILE_MB', () => {
  /** A real photo followed by padding (decoders stop at its end): over the limit, yet a valid JPEG. */
  async function oversizedPhoto(folder: string, name: string) {
    const bytes = Buffer.concat([await makeStagePhoto({ seed: seed++ }), Buffer.alloc((MAX_FILE_MB + 1) * 1024 * 1024)]);
    await writeFile(join(folder, name), bytes);
  }

  it("fails the file with a reason from the listing's size, and the rest of the library ingests", async () => {
    const alice = await signUp(app, 'alice');
    const library = await photoFolder(alice, 'library', 2);
    await oversizedPhoto(library, 'HUGE.JPG');
    const { id: sourceId } = await alice.client.sources.addLocalFolder.mutate({ path: library });

    const { scanId, final } = await scanToEnd(alice, sourceId);

    expect(final).toMatchObject({ status: 'completed', counts: { listed: 3, processed: 2, failed: 1 } });
    expect(await alice.client.scans.failures.query({ scanId })).toEqual([
      expect.objectContaining({ sourceFileId: 'HUGE.JPG', reason: `Larger than the ${MAX_FILE_MB} MB limit` }),
    ]);
    const rows = await photosOf(alice.user.id);
    expect(
      rows
        .filter((photo) => photo.status === 'ready')
        .map((photo) => photo.sourceFileId)
        .sort(),
    ).toEqual(['IMG_0.JPG', 'IMG_1.JPG']);
    expect(rows.find((photo) => photo.sourceFileId === 'HUGE.JPG')).toMatchObject({ contentHash: null, thumbnailKey: null });
  });

  it('fails it just the same when the file grew past the limit after it was listed', async () => {
    const alice = await signUp(app, 'alice');
    const library = await photoFolder(alice, 'library', 0);
    await oversizedPhoto(library, 'GREW.JPG');
    const { id: sourceId } = await alice.client.sources.addLocalFolder.mutate({ path: library });

    // The listing saw it small: the size is judged again when the file is opened.
    const row = await ingestNow(alice, sourceId, 'GREW.JPG', 1_000);

    expect(row).toMatchObject({ status: 'failed', failureReason: `Larger than the ${MAX_FILE_MB} MB limit`, contentHash: null });
  });
});
