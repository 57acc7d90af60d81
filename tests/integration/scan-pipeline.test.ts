import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateGroups, photos, scans } from '../../drizzle/schema/index.js';
import { startWebProcess, stop as stopChild, type Child } from '../support/child-process.js';
import { makeBurst, resizedCopy } from '../support/images.js';
import { copyToImportFolder, writeTestLibrary } from '../support/photo-library.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient, trpcFailure as failure } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

let app: RunningApp;
let worker: Child;
let library: Awaited<ReturnType<typeof writeTestLibrary>>;
let env: Record<string, string>;

beforeAll(async () => {
  library = await writeTestLibrary();
  const dataDir = await mkdtemp(join(tmpdir(), 'ch-data-'));
  // Each user imports from their own folder, <root>/<user id>, as in production.
  env = testEnv({ LOCAL_IMPORT_ROOTS: library.root, LOCAL_IMPORT_SHARED: 'false', DATA_DIR: dataDir });
  app = await startTestApp(env);
  worker = await startWorkerProcess(env);
});
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
});

async function newUser() {
  const { client, jar } = trpcHttpClient(app.url);
  const user = await client.auth.signup.mutate({ email: uniqueEmail('scan'), password: 'correct horse battery', name: 'Scanner' });
  /** The test library, copied into this user's own import folder. */
  const ownLibrary = () => copyToImportFolder(library.folder, library.root, user.id);
  return { client, jar, user, ownLibrary };
}

describe('scanning a local folder', () => {
  it('records every file exactly once, with thumbnails, failures with reasons, duplicates and bursts grouped', async () => {
    const { client, user, ownLibrary } = await newUser();
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: await ownLibrary() });
    const { scanId } = await client.scans.start.mutate({ sourceId });
    const snapshots = await watchScan(client, scanId);
    const final = snapshots.at(-1)!;

    expect(final.status).toBe('completed');
    expect(final.counts).toMatchObject({
      listed: library.expected.listed,
      processed: library.expected.processed,
      failed: library.expected.failed,
      duplicates: library.expected.extraCopies,
    });
    // Live: the browser saw the counter move, not just the end.
    expect(snapshots.length).toBeGreaterThan(1);

    const rows = await app.database.db.select().from(photos).where(eq(photos.userId, user.id));
    expect(rows).toHaveLength(library.expected.listed);
    expect(new Set(rows.map((row) => row.sourceFileId)).size).toBe(rows.length);
    expect(rows.some((row) => row.sourceFileId.includes('escape') || row.sourceFileId.endsWith('.txt'))).toBe(false);

    const ready = rows.filter((row) => row.status === 'ready');
    for (const row of ready) {
      expect(row.thumbnailKey).toMatch(new RegExp(`^users/${user.id}/thumbnails/[0-9a-f]{64}\\.webp$`));
      expect(await app.services.storage.exists(row.thumbnailKey!)).toBe(true);
      expect(row.perceptualHash).not.toBeNull();
    }
    const first = rows.find((row) => row.sourceFileId === 'show/IMG_0001.JPG')!;
    expect(first).toMatchObject({ timeZone: 'Europe/Amsterdam', cameraMake: 'Fujifilm', width: 1600, height: 1200 });
    // 21:30 in Amsterdam in July is 19:30 UTC.
    expect(first.takenAt?.toISOString()).toBe('2019-07-05T19:30:00.000Z');

    const failed = Object.fromEntries(rows.filter((row) => row.status === 'failed').map((row) => [row.sourceFileId, row.failureReason]));
    expect(Object.keys(failed).sort()).toEqual(['broken/empty.jpg', 'broken/notes.jpg', 'broken/truncated.jpg']);
    expect(failed['broken/empty.jpg']).toMatch(/empty/i);
    expect(failed['broken/notes.jpg']).toMatch(/not .*(photo|image)|format/i);
    expect(failed['broken/truncated.jpg']).toMatch(/truncated|incomplete|corrupt/i);
    const reported = await client.scans.failures.query({ scanId });
    expect(reported.map((f) => f.sourceFileId).sort()).toEqual(Object.keys(failed).sort());

    const groups = await client.photos.duplicates.query();
    const byFile = (id: number) => rows.find((row) => row.id === id)!.sourceFileId;
    const copies = groups.find((g) => g.kind !== 'burst')!;
    expect(copies.photos.map((p) => byFile(p.id)).sort()).toEqual(['copies/IMG_0001-small.jpg', 'copies/IMG_0001.JPG', 'show/IMG_0001.JPG']);
    const primary = byFile(copies.primaryPhotoId!);
    expect(primary).not.toBe('copies/IMG_0001-small.jpg');
    const burst = groups.find((g) => g.kind === 'burst')!;
    expect(burst.photos.map((p) => byFile(p.id)).sort()).toEqual(['show/burst/IMG_010.JPG', 'show/burst/IMG_011.JPG', 'show/burst/IMG_012.JPG']);
    expect(groups).toHaveLength(2);

    const [scanRow] = await app.database.db.select().from(scans).where(eq(scans.id, scanId));
    expect(scanRow).toMatchObject({ status: 'completed', activeSourceId: null, listed: library.expected.listed, failed: 3 });
  });

  it('groups burst frames that also have copies without losing the scan: copies outrank bursts', async () => {
    const { client, user } = await newUser();
    const folder = join(library.root, String(user.id), 'burst-with-copies');
    await mkdir(folder, { recursive: true });
    const frames = await makeBurst({
      seed: 606,
      frames: 3,
      exifOfFrame: (i) => ({ localTime: `2020-02-02T21:00:0${i}`, latitude: 52.3622, longitude: 4.884 }),
    });
    for (const [i, frame] of frames.entries()) await writeFile(join(folder, `frame${i}.jpg`), frame);
    await writeFile(join(folder, 'frame1-copy.jpg'), await resizedCopy(frames[1]!, 0.5));
    await writeFile(join(folder, 'frame2-copy.jpg'), frames[2]!);

    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: folder });
    const final = (await watchScan(client, (await client.scans.start.mutate({ sourceId })).scanId)).at(-1)!;
    expect(final).toMatchObject({ status: 'completed', counts: { listed: 5, processed: 5, failed: 0 } });
    const [scanRow] = await app.database.db.select().from(scans).where(eq(scans.id, final.scanId));
    expect(scanRow!.error).toBeNull();

    const rows = await app.database.db.select().from(photos).where(eq(photos.userId, user.id));
    const groupOf = (file: string) => rows.find((row) => row.sourceFileId === file)!.duplicateGroupId;
    const groups = await client.photos.duplicates.query();
    for (const group of groups) expect(group.photos.length).toBeGreaterThanOrEqual(2);
    expect(groupOf('frame1.jpg')).toBe(groupOf('frame1-copy.jpg'));
    expect(groupOf('frame2.jpg')).toBe(groupOf('frame2-copy.jpg'));
    expect(groups.find((g) => g.id === groupOf('frame1.jpg'))!.kind).not.toBe('burst');
  });

  it('rescanning an unchanged library does no per-photo work', async () => {
    const { client, user, ownLibrary } = await newUser();
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: await ownLibrary() });
    await watchScan(client, (await client.scans.start.mutate({ sourceId })).scanId);
    const before = await app.database.db.select({ id: photos.id, updatedAt: photos.updatedAt }).from(photos).where(eq(photos.userId, user.id));

    const { scanId } = await client.scans.start.mutate({ sourceId });
    const final = (await watchScan(client, scanId)).at(-1)!;
    expect(final).toMatchObject({ status: 'completed', counts: { listed: 0, processed: 0, failed: 0 } });
    const after = await app.database.db.select({ id: photos.id, updatedAt: photos.updatedAt }).from(photos).where(eq(photos.userId, user.id));
    expect(after).toEqual(before);
  });

  it('resolving a duplicate group keeps the chosen photo and hides, never deletes, the others', async () => {
    const { client, user, ownLibrary } = await newUser();
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: await ownLibrary() });
    await watchScan(client, (await client.scans.start.mutate({ sourceId })).scanId);
    const group = (await client.photos.duplicates.query()).find((g) => g.kind !== 'burst')!;
    const keep = group.photos[1]!.id;
    await client.photos.resolveDuplicates.mutate({ groupId: group.id, keepPhotoId: keep });

    const members = await app.database.db
      .select()
      .from(photos)
      .where(and(eq(photos.userId, user.id), eq(photos.duplicateGroupId, group.id)));
    expect(members).toHaveLength(group.photos.length);
    expect(members.filter((m) => !m.hidden).map((m) => m.id)).toEqual([keep]);
    const [row] = await app.database.db.select().from(duplicateGroups).where(eq(duplicateGroups.id, group.id));
    expect(row!.primaryPhotoId).toBe(keep);
    expect(row!.resolvedAt).not.toBeNull();
    expect((await client.photos.duplicates.query()).some((g) => g.id === group.id)).toBe(false);
  });

  it('refuses a second scan of a library while one is running, and cancels promptly', async () => {
    const { client, ownLibrary } = await newUser();
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: await ownLibrary() });
    const { scanId } = await client.scans.start.mutate({ sourceId });
    const conflict = await failure(client.scans.start.mutate({ sourceId }));
    expect(conflict.data?.code).toBe('CONFLICT');
    expect(conflict.message).toBe('A scan of this library is already running');

    const cancelled = await client.scans.cancel.mutate({ scanId });
    expect(cancelled.status).toBe('cancelled');
    expect((await client.scans.get.query({ scanId })).status).toBe('cancelled');
    // The library is free again.
    const next = await client.scans.start.mutate({ sourceId });
    expect((await watchScan(client, next.scanId)).at(-1)!.status).toBe('completed');
  });
});

describe('live progress across web servers', () => {
  it('pushes every change made anywhere to a browser connected to another web server', async () => {
    const { jar, user, ownLibrary } = await newUser();
    const { id: sourceId } = await app.services.sources.addLocalFolder(user.id, await ownLibrary());
    // A scan nobody's worker will pick up: this test plays the worker, so each step is known.
    const scanId = (await app.services.repositories.scans.insertQueued(user.id, sourceId))!;
    const progress = app.services.repositories.scanProgress;
    await progress.init(scanId);
    const other = await startWebProcess(env);
    try {
      const watching = watchScan(trpcHttpClient(other.url, jar).client, scanId);
      // Until the other server has subscribed to this scan's channel in Redis.
      const subscribers = async () => ((await app.redis.pubsub('NUMSUB', progress.channel(scanId))) as [string, number])[1];
      await expect.poll(subscribers, { timeout: 30_000 }).toBe(1);
      await progress.markRunning(scanId);
      await progress.addListed(scanId, ['a.jpg', 'b.jpg']);
      // Wider apart than the feed's quarter-second coalescing, so this state is sent on its own.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await progress.listingDone(scanId);
      await progress.markDone(scanId, 'a.jpg', 'processed');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await progress.markDone(scanId, 'b.jpg', 'failed');
      await progress.finish(scanId, 'completed');
      const seen = await watching;
      // The first snapshot may already show the scan running (it is read just after subscribing); what
      // matters is that the later changes arrived through the other server.
      expect(seen.some((p) => p.status === 'running' && p.counts.listed === 2)).toBe(true);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen.at(-1)).toMatchObject({ status: 'completed', counts: { listed: 2, processed: 1, failed: 1 } });
    } finally {
      await stopChild(other.child);
    }
  });
});

describe('what a user may import', () => {
  it('refuses folders outside their own import folder, through "..", or that do not exist', async () => {
    const { client, user } = await newUser();
    const own = join(library.root, String(user.id));
    const outside = await mkdtemp(join(tmpdir(), 'ch-outside-'));
    for (const path of [outside, library.root, library.folder, `${own}/../../etc`, join(own, 'missing'), 'relative/path']) {
      const error = await failure(client.sources.addLocalFolder.mutate({ path }));
      expect(error.data?.code, path).toBe('BAD_REQUEST');
    }
    await mkdir(join(own, 'empty'), { recursive: true });
    expect((await client.sources.addLocalFolder.mutate({ path: join(own, 'empty') })).id).toBeGreaterThan(0);
  });
});

describe('another user', () => {
  it('cannot see, start, watch or cancel what is not theirs', async () => {
    const owner = await newUser();
    const { id: sourceId } = await owner.client.sources.addLocalFolder.mutate({ path: await owner.ownLibrary() });
    const { scanId } = await owner.client.scans.start.mutate({ sourceId });
    await watchScan(owner.client, scanId);
    const group = (await owner.client.photos.duplicates.query())[0]!;

    const stranger = await newUser();
    expect(await stranger.client.sources.list.query()).toEqual([]);
    expect(await stranger.client.photos.duplicates.query()).toEqual([]);
    for (const attempt of [
      () => stranger.client.scans.start.mutate({ sourceId }),
      () => stranger.client.scans.get.query({ scanId }),
      () => stranger.client.scans.cancel.mutate({ scanId }),
      () => stranger.client.scans.failures.query({ scanId }),
      () => stranger.client.scans.retryFailed.mutate({ scanId }),
      () => stranger.client.photos.resolveDuplicates.mutate({ groupId: group.id, keepPhotoId: group.photos[0]!.id }),
      () => watchScan(stranger.client, scanId, 10_000),
    ]) {
      expect((await failure(attempt())).data?.code).toBe('NOT_FOUND');
    }
    // Thumbnails come only through the signed URLs the owner's API answers carry; one altered to name another file is refused.
    const url = group.photos[0]!.thumbnailUrl!;
    const own = await fetch(`${app.url}${url}`);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('image/webp');
    const altered = url.replace(/\/thumbnails\/[0-9a-f]+/, `/thumbnails/${'0'.repeat(64)}`);
    expect((await fetch(`${app.url}${altered}`)).status).toBe(403);
  });
});
