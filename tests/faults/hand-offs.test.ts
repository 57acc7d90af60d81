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
import type { JobInput, JobName } from '../../shared/jobs.js';
import { jobIdOf } from '../../server/queue/job-ids.js';
import type { JobSender } from '../../server/queue/job-sender.js';
import type { ScanLifecycle } from '../../server/services/scan-lifecycle.js';
import { scanPipeline } from '../../worker/scan-pipeline.js';
import { makeStagePhoto } from '../support/images.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { jobRunner, workerServicesOf } from '../support/worker-jobs.js';
import { signUpAndAddLibrary } from './fault-scan.js';

const FILES = 3;
let app: RunningApp;
let folder: string;
const logger = pino({ level: 'silent' });
const retried = { attempt: { number: 2, of: 5 } };

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

/** The scan's jobs as a worker runs them, with the hand-offs (or the scan's end) a test breaks. */
function pipelineWith({ jobs, lifecycle }: { jobs?: JobSender; lifecycle?: ScanLifecycle }) {
  const services = workerServicesOf(app);
  const handlers = scanPipeline({
    ...services.pipeline,
    jobs: jobs ?? services.pipeline.jobs,
    scanLifecycle: lifecycle ?? services.pipeline.scanLifecycle,
  });
  return jobRunner(services, handlers);
}

/** Hand-offs recorded instead of queued: the ingest jobs and dedup hand-offs, failing where told. */
function recordingJobs(fail: { afterIngestPhotos?: number; dedupScan?: number } = {}) {
  const ingests: Array<JobInput<'ingest-photo'>> = [];
  const dedups: number[] = [];
  const jobs: JobSender = {
    async add<Name extends JobName>(name: Name, payload: JobInput<Name>) {
      if (name !== 'dedup-scan') throw new Error(`unexpected hand-off to ${name}`);
      if (fail.dedupScan && fail.dedupScan-- > 0) throw died();
      dedups.push((payload as JobInput<'dedup-scan'>).scanId);
    },
    async addBulk<Name extends JobName>(name: Name, payloads: ReadonlyArray<JobInput<Name>>) {
      if (name !== 'ingest-photo') throw new Error(`unexpected hand-off to ${name}`);
      ingests.push(...(payloads as unknown as Array<JobInput<'ingest-photo'>>));
      if (fail.afterIngestPhotos && fail.afterIngestPhotos-- > 0) throw died();
    },
  };
  return { jobs, ingests, dedups };
}

describe('a step that dies right after claiming the scan’s next hand-off', () => {
  it('a listing that dies after queuing its page lists every file on its re-run, and the scan moves on to dedup', async () => {
    const { userId, sourceId, scanId } = await newScan();
    const { jobs, ingests, dedups } = recordingJobs({ afterIngestPhotos: 1 });
    const run = pipelineWith({ jobs });
    const payload = { scanId, userId, sourceId };

    await expect(run('scan-source', payload)).rejects.toThrow(/died here/);
    // The page's ingest jobs were queued and run before the listing job comes back.
    for (const job of ingests.splice(0)) await run('ingest-photo', job);
    await run('scan-source', payload, retried);

    const progress = (await app.services.repositories.scanProgress.get(scanId))!;
    expect(progress.counts).toMatchObject({ listed: FILES, processed: FILES, failed: 0 });
    expect(progress.stage).toBe('deduplicating');
    expect(ingests).toEqual([]); // every file was done: nothing queued twice
    expect(dedups).toEqual([scanId]);
  });

  it('an ingest that counted the last file and died before queuing dedup queues it when retried, counting nothing twice', async () => {
    const { userId, sourceId, scanId } = await newScan();
    const { jobs, ingests, dedups } = recordingJobs({ dedupScan: 1 });
    const run = pipelineWith({ jobs });
    await run('scan-source', { scanId, userId, sourceId });
    const [last, ...others] = ingests;
    for (const job of others) await run('ingest-photo', job);

    await expect(run('ingest-photo', last!)).rejects.toThrow(/died here/);
    expect(dedups).toEqual([]);
    await run('ingest-photo', last!, retried);

    expect(dedups).toEqual([scanId]);
    expect((await app.services.repositories.scanProgress.get(scanId))!.counts).toMatchObject({ listed: FILES, processed: FILES });
    // And through the real queue, a repeat of the hand-off adds one dedup job, not two.
    await app.services.queues.add('dedup-scan', { scanId, userId });
    await app.services.queues.add('dedup-scan', { scanId, userId });
    const photoQueue = app.services.queues.queue('photo');
    const job = await photoQueue.getJob(jobIdOf('dedup-scan', { scanId, userId }));
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

    const real = workerServicesOf(app).pipeline.scanLifecycle;
    let failures = 1;
    const lifecycle: ScanLifecycle = Object.assign(Object.create(real) as ScanLifecycle, {
      complete: async (...args: Parameters<ScanLifecycle['complete']>) => {
        if (failures-- > 0) throw new Error('Connection lost: The server closed the connection.');
        return real.complete(...args);
      },
    });
    const run = pipelineWith({ lifecycle });
    const payload = {
      scanId,
      userId,
      eventKey: `fault-${scanId}`,
      evening: '2019-07-05',
      latitude: 52.3622,
      longitude: 4.884,
      timeZone: 'Europe/Amsterdam',
      venueId: null,
      venueConfidence: null,
    };

    await expect(run('match-concert', payload)).rejects.toThrow(/Connection lost/);
    expect((await progress.get(scanId))!.status).toBe('running');
    await run('match-concert', payload, retried);

    expect((await progress.get(scanId))!).toMatchObject({ status: 'completed', events: { total: 1, done: 1 } });
    const [row] = await app.database.db.$primary
      .select()
      .from(scans)
      .where(and(eq(scans.userId, userId), eq(scans.id, scanId)));
    expect(row).toMatchObject({ status: 'completed', listed: 1, processed: 1 });
    // A third run (a stalled copy of the job) changes nothing.
    await run('match-concert', payload, { attempt: { number: 3, of: 5 } });
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
    await workerServicesOf(app).pipeline.scanLifecycle.complete({ scanId, userId }, logger);
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
