/**
 * The moments a fault is most likely to lose a scan: a step that has just claimed
 * the scan's next hand-off (the last file is in, the last event is matched) and
 * dies or fails before acting on it. The crash is put exactly there, in process,
 * so these cases are proven every run rather than when a SIGKILL happens to land
 * on them. Each time the retried step must move the scan on, once.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scans } from '../../drizzle/schema/index.js';
import { jobIds } from '../../server/queue/job-ids.js';
import type { JobQueues } from '../../server/queue/queues.js';
import { ConcertMatchingService } from '../../server/services/concert-matching.service.js';
import { PhotoIngestService, type IngestPayload } from '../../server/services/photo-ingest.service.js';
import type { ScanFinisher } from '../../server/services/scan-finisher.js';
import { ScanListingService } from '../../server/services/scan-listing.service.js';
import { makeStagePhoto } from '../support/images.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { signUpAndAddLibrary } from './fault-scan.js';

const FILES = 3;
let app: RunningApp;
let folder: string;
const logger = pino({ level: 'silent' });
const attempt = { number: 1, of: 5 };

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'ch-fault-handoff-'));
  folder = join(root, 'library');
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < FILES; i += 1) {
    await writeFile(join(folder, `IMG_${i}.JPG`), await makeStagePhoto({ seed: 80_000 + i, width: 640, height: 480 }));
  }
  // No worker in this file: the test runs each step itself, and the queues only collect what the steps add.
  app = await startTestApp(testEnv({ LOCAL_IMPORT_ROOTS: root, DATA_DIR: join(root, 'data'), RATE_LIMIT_API_PER_MIN: '0' }));
});
afterAll(async () => {
  await app?.close();
});

const died = () => new Error('the worker died here');

/** A scan of the folder as `scans.start` makes it, without queueing its job. */
async function newScan() {
  const { user, sourceId } = await signUpAndAddLibrary(app, folder);
  const scanId = (await app.services.repositories.scans.insertQueued(user.id, sourceId))!;
  await app.services.repositories.scanProgress.init(scanId);
  return { userId: user.id, sourceId, scanId };
}

/** The scan's services, with the queues (or finisher) a test breaks. */
function servicesWith(queues: JobQueues) {
  const s = app.services;
  const r = s.repositories;
  return {
    listing: new ScanListingService(s.sources, r.sources, r.scans, r.scanProgress, r.processedFiles, queues, r.photos),
    ingest: new PhotoIngestService(s.sources, r.photos, r.processedFiles, r.scanProgress, s.storage, queues, app.config),
  };
}

/** Queues that record the ingest jobs and dedup hand-offs instead of adding them, failing where told. */
function recordingQueues(fail: { afterIngestPhotos?: number; dedupScan?: number } = {}) {
  const ingests: IngestPayload[] = [];
  const dedups: number[] = [];
  const queues = {
    async ingestPhotos(payloads: IngestPayload[]) {
      ingests.push(...payloads);
      if (fail.afterIngestPhotos && fail.afterIngestPhotos-- > 0) throw died();
    },
    async dedupScan({ scanId }: { scanId: number }) {
      if (fail.dedupScan && fail.dedupScan-- > 0) throw died();
      dedups.push(scanId);
    },
  } as unknown as JobQueues;
  return { queues, ingests, dedups };
}

describe('a step that dies right after claiming the scan’s next hand-off', () => {
  it('a listing that dies after queuing its page lists every file on its re-run, and the scan moves on to dedup', async () => {
    const { userId, sourceId, scanId } = await newScan();
    const { queues, ingests, dedups } = recordingQueues({ afterIngestPhotos: 1 });
    const { listing, ingest } = servicesWith(queues);
    const payload = { scanId, userId, sourceId };

    await expect(listing.run(payload, attempt, logger)).rejects.toThrow(/died here/);
    // The page's ingest jobs were queued and run before the listing job comes back.
    for (const job of ingests.splice(0)) await ingest.ingest(job, attempt, logger);
    await listing.run(payload, { number: 2, of: 5 }, logger);

    const progress = (await app.services.repositories.scanProgress.get(scanId))!;
    expect(progress.counts).toMatchObject({ listed: FILES, processed: FILES, failed: 0 });
    expect(progress.stage).toBe('deduplicating');
    expect(ingests).toEqual([]); // every file was done: nothing queued twice
    expect(dedups).toEqual([scanId]);
  });

  it('an ingest that counted the last file and died before queuing dedup queues it when retried, counting nothing twice', async () => {
    const { userId, sourceId, scanId } = await newScan();
    const { queues, ingests, dedups } = recordingQueues({ dedupScan: 1 });
    const { listing, ingest } = servicesWith(queues);
    await listing.run({ scanId, userId, sourceId }, attempt, logger);
    const [last, ...others] = ingests;
    for (const job of others) await ingest.ingest(job, attempt, logger);

    await expect(ingest.ingest(last!, attempt, logger)).rejects.toThrow(/died here/);
    expect(dedups).toEqual([]);
    await ingest.ingest(last!, { number: 2, of: 5 }, logger);

    expect(dedups).toEqual([scanId]);
    expect((await app.services.repositories.scanProgress.get(scanId))!.counts).toMatchObject({ listed: FILES, processed: FILES });
    // And through the real queue, a repeat of the hand-off adds one dedup job, not two.
    await app.services.queues.dedupScan({ scanId, userId });
    await app.services.queues.dedupScan({ scanId, userId });
    const photoQueue = app.services.queues.queue('photo');
    const job = await photoQueue.getJob(jobIds.dedupScan(scanId));
    expect(job).toBeTruthy();
    await job!.remove();
  });

  it('a match whose completion of the scan fails (a dropped connection) completes it when retried', async () => {
    const { userId, scanId } = await newScan();
    const progress = app.services.repositories.scanProgress;
    await progress.markRunning(scanId);
    await progress.addListed(scanId, ['f']);
    await progress.listingDone(scanId);
    await progress.markDone(scanId, 'f', 'processed');
    expect(await progress.startMatching(scanId, 1)).toEqual({ started: true, finishing: false });

    const real = app.services.scanFinisher;
    let failures = 1;
    const finisher = {
      refreshMatched: (u: number, s: number) => real.refreshMatched(u, s),
      viewsChanged: (u: number) => real.viewsChanged(u),
      complete: async (...args: Parameters<ScanFinisher['complete']>) => {
        if (failures-- > 0) throw new Error('Connection lost: The server closed the connection.');
        return real.complete(...args);
      },
    } as unknown as ScanFinisher;
    const r = app.services.repositories;
    const matching = new ConcertMatchingService(r.match, r.venues, r.artists, progress, finisher, null);
    const payload = {
      scanId, userId, eventKey: `fault-${scanId}`, evening: '2019-07-05', latitude: 52.3622, longitude: 4.884,
      timeZone: 'Europe/Amsterdam', venueId: null, venueConfidence: null,
    };

    await expect(matching.run(payload, attempt, logger)).rejects.toThrow(/Connection lost/);
    expect((await progress.get(scanId))!.status).toBe('running');
    await matching.run(payload, { number: 2, of: 5 }, logger);

    expect((await progress.get(scanId))!).toMatchObject({ status: 'completed', events: { total: 1, done: 1 } });
    const [row] = await app.database.db.$primary.select().from(scans).where(and(eq(scans.userId, userId), eq(scans.id, scanId)));
    expect(row).toMatchObject({ status: 'completed', listed: 1, processed: 1 });
    // A third run (a stalled copy of the job) changes nothing.
    await matching.run(payload, { number: 3, of: 5 }, logger);
    expect((await progress.get(scanId))!.events).toEqual({ total: 1, done: 1 });
  });

  it('a grouping that found nothing to match and failed to complete the scan completes it when retried', async () => {
    const { userId, scanId } = await newScan();
    const progress = app.services.repositories.scanProgress;
    await progress.markRunning(scanId);
    await progress.addListed(scanId, ['f']);
    await progress.listingDone(scanId);
    await progress.markDone(scanId, 'f', 'failed');
    expect(await progress.startMatching(scanId, 0)).toEqual({ started: true, finishing: true });
    // The first caller died before completing: the retry is told to finish, until the scan has ended.
    expect((await progress.startMatching(scanId, 0)).finishing).toBe(true);
    await app.services.scanFinisher.complete(userId, scanId, logger);
    expect(await progress.startMatching(scanId, 0)).toEqual({ started: false, finishing: false });
    expect((await progress.get(scanId))!.status).toBe('completed');
  });

  it('a listing re-run after the scan went on to matching leaves the scan where it was', async () => {
    const { scanId } = await newScan();
    const progress = app.services.repositories.scanProgress;
    await progress.markRunning(scanId);
    await progress.addListed(scanId, ['f']);
    await progress.listingDone(scanId);
    await progress.markDone(scanId, 'f', 'processed');
    await progress.startMatching(scanId, 2);

    expect(await progress.listingDone(scanId)).toBe(false);
    expect((await progress.get(scanId))!.stage).toBe('matching');
    expect((await progress.markEventDone(scanId, 'a')).finishing).toBe(false);
    expect(await progress.markEventDone(scanId, 'b')).toEqual({ counted: true, finishing: true });
  });
});
