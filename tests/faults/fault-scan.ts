/**
 * What every fault run shares: a library of real JPEGs (four shows, a few exact
 * copies), a user scanning it through the real web app and worker processes, and
 * the exactly-once checks made once the scan has ended, whatever happened during it.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { concerts, photos, processedFiles, scans } from '../../drizzle/schema/index.js';
import { bullPrefix } from '../../server/queue/bullmq-options.js';
import type { ScanProgress } from '../../shared/scan.schema.js';
import { isTerminal } from '../../shared/scan-progress.js';
import { makeStagePhoto } from '../support/images.js';
import type { RunningApp } from '../support/test-app.js';
import { uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';

/** Four evenings at four venues; photos a minute apart, so none is a burst of another. */
const SHOWS = [
  { date: '2018-03-09', latitude: 52.3622, longitude: 4.884 },
  { date: '2019-07-05', latitude: 51.5154, longitude: -0.1337 },
  { date: '2020-02-14', latitude: 48.8847, longitude: 2.3442 },
  { date: '2021-11-20', latitude: 52.5072, longitude: 13.4531 },
];

export interface FaultLibrary {
  root: string;
  folder: string;
  dataDir: string;
  /** What a correct scan reports, counted from the files themselves. */
  expected: {
    files: number;
    distinct: number;
    listed: number;
    processed: number;
    failed: number;
    duplicates: number;
    matched: number;
    concerts: number;
  };
}

/** `photos` distinct JPEGs (800×600, EXIF date and GPS) plus `copies` byte-identical copies of some of them. */
export async function writeFaultLibrary(label: string, { photos: count = 96, copies = 4, seed = 0 } = {}): Promise<FaultLibrary> {
  const root = await mkdtemp(join(tmpdir(), `ch-fault-${label}-`));
  const folder = join(root, 'library');
  const dataDir = join(root, 'data');
  await mkdir(join(folder, 'copies'), { recursive: true });
  await mkdir(dataDir, { recursive: true });
  const perShow = Math.ceil(count / SHOWS.length);
  const originals: Array<{ name: string; bytes: Buffer }> = [];
  for (let i = 0; i < count; i += 8) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(8, count - i) }, async (_, j) => {
        const n = i + j;
        const show = SHOWS[Math.floor(n / perShow)]!;
        const minute = n % perShow;
        const localTime = `${show.date}T${String(21 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;
        const bytes = await makeStagePhoto({
          seed: 70_000 + seed + n,
          width: 800,
          height: 600,
          exif: { localTime, latitude: show.latitude, longitude: show.longitude, make: 'Fujifilm', model: 'X100V' },
        });
        const name = `IMG_${String(1000 + n)}.JPG`;
        await mkdir(join(folder, show.date), { recursive: true });
        await writeFile(join(folder, show.date, name), bytes);
        return { name: `${show.date}/${name}`, bytes };
      }),
    );
    originals.push(...batch);
  }
  for (let c = 0; c < copies; c += 1) {
    const original = originals[(c * 13) % originals.length]!;
    await writeFile(join(folder, 'copies', `copy-${c}.jpg`), original.bytes);
  }
  const files = count + copies;
  return {
    root,
    folder,
    dataDir,
    // Every file has a position and a date, so every photo ends up in one of the four shows' concerts.
    expected: { files, distinct: count, listed: files, processed: files, failed: 0, duplicates: copies, matched: files, concerts: SHOWS.length },
  };
}

export type Client = ReturnType<typeof trpcHttpClient>['client'];

export async function signUpAndAddLibrary(app: RunningApp, folder: string) {
  const { client, jar } = trpcHttpClient(app.url);
  const user = await client.auth.signup.mutate({ email: uniqueEmail('fault'), password: 'correct horse battery', name: 'Fault' });
  const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: folder });
  return { client, jar, user, sourceId };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The scan's live state through the API; null while the API cannot answer (its
 * Redis or database is the thing being broken), so a fault does not end the wait.
 */
export async function progressOf(client: Client, scanId: number): Promise<ScanProgress | null> {
  try {
    return await client.scans.get.query({ scanId });
  } catch {
    return null;
  }
}

/** Resolves once the scan has done at least `files` files (processed or failed). */
export async function waitForDone(client: Client, scanId: number, files: number, timeoutMs = 120_000): Promise<ScanProgress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await progressOf(client, scanId);
    if (progress && (progress.counts.processed + progress.counts.failed >= files || isTerminal(progress.status))) return progress;
    if (Date.now() > deadline) throw new Error(`scan ${scanId} did not reach ${files} files; last: ${JSON.stringify(progress)}`);
    await sleep(50);
  }
}

/** Polls `scans.get` (tests turn the per-user API rate limit off: RATE_LIMIT_API_PER_MIN=0) until the scan has ended, tolerating the API being down meanwhile. */
export async function waitForEnd(client: Client, scanId: number, timeoutMs = 150_000): Promise<ScanProgress> {
  const deadline = Date.now() + timeoutMs;
  let last: ScanProgress | null = null;
  for (;;) {
    const progress = await progressOf(client, scanId);
    if (progress) last = progress;
    if (progress && isTerminal(progress.status)) return progress;
    if (Date.now() > deadline) throw new Error(`scan ${scanId} did not end; last: ${JSON.stringify(last)}`);
    await sleep(200);
  }
}

/** The queues a scan (and starring) use: nothing may be left in them once the work has settled. */
const SCAN_QUEUES = ['scan', 'photo', 'venue', 'match', 'image'] as const;
const UNSETTLED = ['active', 'waiting', 'delayed', 'failed', 'prioritized', 'waiting-children'] as const;

export async function queueCounts(config: RunningApp['config']) {
  const connection = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  connection.on('error', () => {});
  const counts: Record<string, Record<string, number>> = {};
  try {
    for (const name of SCAN_QUEUES) {
      const queue = new Queue(name, { connection, prefix: bullPrefix(config) });
      const all = await queue.getJobCounts(...UNSETTLED);
      counts[name] = Object.fromEntries(Object.entries(all).filter(([, n]) => n > 0));
      await queue.close();
    }
  } finally {
    connection.disconnect();
  }
  return counts;
}

/**
 * A job whose worker died after it had counted its file may still be re-run (and
 * count nothing) after the scan ended; the queues settle within a few lock periods.
 */
export async function expectQueuesSettle(config: RunningApp['config'], timeoutMs = 60_000) {
  const empty = Object.fromEntries(SCAN_QUEUES.map((name) => [name, {}]));
  const deadline = Date.now() + timeoutMs;
  let counts = await queueCounts(config);
  while (JSON.stringify(counts) !== JSON.stringify(empty) && Date.now() < deadline) {
    await sleep(250);
    counts = await queueCounts(config);
  }
  expect(counts).toEqual(empty);
}

/** The four checks every fault run ends with. */
export async function expectExactlyOnce(
  app: RunningApp,
  run: { client: Client; userId: number; sourceId: number; scanId: number },
  library: FaultLibrary,
) {
  const { client, userId, sourceId, scanId } = run;
  const { expected } = library;
  const counts = {
    listed: expected.listed,
    processed: expected.processed,
    failed: expected.failed,
    duplicates: expected.duplicates,
    matched: expected.matched,
  };

  // 1. The scan completed, with the counters the files themselves give, live and in its row.
  const final = await client.scans.get.query({ scanId });
  expect(final).toMatchObject({ status: 'completed', counts });
  const [row] = await app.database.db.$primary
    .select()
    .from(scans)
    .where(and(eq(scans.userId, userId), eq(scans.id, scanId)));
  expect(row).toMatchObject({ status: 'completed', activeSourceId: null, ...counts });

  // 2. Every file recorded exactly once, as a photo and as a sync row.
  const rows = await app.database.db.$primary
    .select({ sourceFileId: photos.sourceFileId, status: photos.status, contentHash: photos.contentHash, concertId: photos.concertId })
    .from(photos)
    .where(and(eq(photos.userId, userId), eq(photos.sourceId, sourceId)));
  expect(rows).toHaveLength(expected.files);
  expect(new Set(rows.map((r) => r.sourceFileId)).size).toBe(expected.files);
  expect(rows.filter((r) => r.status !== 'ready')).toEqual([]);
  expect(new Set(rows.map((r) => r.contentHash)).size).toBe(expected.distinct);
  expect(rows.filter((r) => r.concertId === null)).toEqual([]);
  const synced = await app.database.db.$primary
    .select({ fileId: processedFiles.fileId })
    .from(processedFiles)
    .where(and(eq(processedFiles.userId, userId), eq(processedFiles.sourceId, sourceId)));
  expect(synced).toHaveLength(expected.files);
  expect(new Set(synced.map((r) => r.fileId)).size).toBe(expected.files);
  // One concert per show, however often its match job ran.
  const shows = await app.database.db.$primary.select({ id: concerts.id }).from(concerts).where(eq(concerts.userId, userId));
  expect(shows).toHaveLength(expected.concerts);

  // 3. One thumbnail object per distinct photo in storage.
  expect(await storageKeys(app, `users/${userId}/thumbnails/`)).toHaveLength(expected.distinct);

  // 4. Nothing left waiting, running, retrying or failed in the queues.
  await expectQueuesSettle(app.config);
}

export async function storageKeys(app: RunningApp, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of app.services.storage.list(prefix)) keys.push(...page.map((o) => o.key));
  return keys;
}
