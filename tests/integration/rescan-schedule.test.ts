import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scans, sources } from '../../drizzle/schema/index.js';
import { createLogger } from '../../server/logger.js';
import { schedulerIdOf } from '../../server/queue/job-ids.js';
import { ON_THIS_DAY_SWEEP_PATTERN } from '../../server/services/on-this-day.service.js';
import { rescanPattern } from '../../server/services/rescan-schedule-pattern.js';
import type { Child } from '../support/child-process.js';
import { makeStagePhoto } from '../support/images.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testConfig, testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

let app: RunningApp;
let otherServer: RunningApp;
let worker: Child;
let folder: string;
const logger = createLogger(testConfig());

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'ch-rescan-lib-'));
  folder = join(root, 'photos');
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, 'IMG_1.JPG'),
    await makeStagePhoto({ seed: 77, exif: { localTime: '2018-10-01T21:00:00', latitude: 51.5, longitude: -0.12 } }),
  );
  const env = testEnv({ LOCAL_IMPORT_ROOTS: root, DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')) });
  // Two web servers on one Redis and database, as behind a load balancer.
  [app, otherServer] = await Promise.all([startTestApp(env), startTestApp(env)]);
  worker = await startWorkerProcess(env);
});
afterAll(async () => {
  if (worker) await stop(worker);
  await Promise.all([app?.close(), otherServer?.close()]);
});

async function newUser(server = app) {
  const { client, jar } = trpcHttpClient(server.url);
  const user = await client.auth.signup.mutate({ email: uniqueEmail('rescan'), password: 'correct horse battery', name: 'Alex' });
  const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: folder });
  return { client, jar, user, sourceId };
}

const scheduleQueue = () => app.services.queues.queue('schedule');

/** The scheduler's delayed jobs (BullMQ names them repeat:<scheduler id>:<time>). */
async function delayedJobsOf(schedulerId: string) {
  const delayed = await scheduleQueue().getDelayed(0, -1);
  return delayed.filter((job) => job.id?.startsWith(`repeat:${schedulerId}:`));
}

describe('scheduled rescans', () => {
  it('creates one daily scheduler even when two servers set it at once, lists its next run, and removes it when off', async () => {
    const { client, jar, user, sourceId } = await newUser();
    // The same session on the other server (sessions live in Redis), as two tabs behind a load balancer.
    const second = trpcHttpClient(otherServer.url, jar).client;
    const schedulerId = schedulerIdOf('rescan-source', { userId: user.id, sourceId });

    await Promise.all([
      client.sources.setSchedule.mutate({ sourceId, schedule: 'daily' }),
      second.sources.setSchedule.mutate({ sourceId, schedule: 'daily' }),
      client.sources.setSchedule.mutate({ sourceId, schedule: 'daily' }),
    ]);

    const scheduler = await scheduleQueue().getJobScheduler(schedulerId);
    expect(scheduler).toMatchObject({
      key: schedulerId,
      pattern: rescanPattern('daily', user.id, sourceId),
      template: { data: { userId: user.id, sourceId } },
    });
    expect(scheduler!.name).toBe('rescan-source');
    expect(scheduler!.pattern).toMatch(/^\d{1,2} [1-5] \* \* \*$/);
    const all = await scheduleQueue().getJobSchedulers(0, -1);
    expect(all.filter((s) => s.key === schedulerId)).toHaveLength(1);
    expect(await delayedJobsOf(schedulerId)).toHaveLength(1);

    const [row] = await app.database.db.select().from(sources).where(eq(sources.id, sourceId));
    expect(row!.rescanSchedule).toBe('daily');
    const listed = (await client.sources.schedules.query()).find((s) => s.sourceId === sourceId)!;
    expect(listed).toMatchObject({ schedule: 'daily', lastRun: null });
    expect(listed.nextRunAt?.getTime()).toBe(scheduler!.next);

    await client.sources.setSchedule.mutate({ sourceId, schedule: 'weekly' });
    expect((await scheduleQueue().getJobScheduler(schedulerId))?.pattern).toBe(rescanPattern('weekly', user.id, sourceId));
    expect(await delayedJobsOf(schedulerId)).toHaveLength(1);

    const off = await client.sources.setSchedule.mutate({ sourceId, schedule: 'off' });
    expect(off).toMatchObject({ schedule: 'off', nextRunAt: null });
    expect(await scheduleQueue().getJobScheduler(schedulerId)).toBeUndefined();
    expect(await delayedJobsOf(schedulerId)).toHaveLength(0);
    const [offRow] = await app.database.db.select().from(sources).where(eq(sources.id, sourceId));
    expect(offRow!.rescanSchedule).toBe('off');
  });

  it("refuses another user's library with NOT_FOUND and leaves it unscheduled", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    await expect(stranger.client.sources.setSchedule.mutate({ sourceId: owner.sourceId, schedule: 'daily' })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    await expect(stranger.client.sources.setSchedule.mutate({ sourceId: owner.sourceId, schedule: 'hourly' as never })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
    });
    const [row] = await app.database.db.select().from(sources).where(eq(sources.id, owner.sourceId));
    expect(row!.rescanSchedule).toBe('off');
    expect(
      await scheduleQueue().getJobScheduler(schedulerIdOf('rescan-source', { userId: owner.user.id, sourceId: owner.sourceId })),
    ).toBeUndefined();
    expect((await stranger.client.sources.schedules.query()).map((s) => s.sourceId)).toEqual([stranger.sourceId]);
  });

  it("runs the scheduler's job in the worker: a scan marked scheduled, shown as the last run with what it found", async () => {
    const { client, user, sourceId } = await newUser();
    await client.sources.setSchedule.mutate({ sourceId, schedule: 'daily' });
    const scheduler = (await scheduleQueue().getJobScheduler(schedulerIdOf('rescan-source', { userId: user.id, sourceId })))!;

    // What the scheduler will add when its time comes: its template's job, handled by the real worker.
    await scheduleQueue().add(scheduler.name, scheduler.template!.data);
    const scanRow = await waitFor(async () => {
      const [row] = await app.database.db.select().from(scans).where(eq(scans.userId, user.id));
      return row;
    });
    expect(scanRow).toMatchObject({ sourceId, trigger: 'scheduled' });
    const final = (await watchScan(client, scanRow.id)).at(-1)!;
    expect(final).toMatchObject({ status: 'completed', counts: { listed: 1, processed: 1 } });

    const listed = (await client.sources.schedules.query()).find((s) => s.sourceId === sourceId)!;
    expect(listed.lastRun).toMatchObject({ scanId: scanRow.id, status: 'completed', counts: { listed: 1, processed: 1, failed: 0 } });
    expect((await client.scans.list.query()).find((s) => s.id === scanRow.id)).toMatchObject({ trigger: 'scheduled' });
    // The user's own scan-start budget (5 an hour) is untouched: five manual scans still start.
    for (let i = 0; i < 5; i++) {
      const { scanId } = await client.scans.start.mutate({ sourceId });
      await watchScan(client, scanId);
    }
  });

  it('skips a scheduled run while a scan of the library is active', async () => {
    const { client, user, sourceId } = await newUser();
    await client.sources.setSchedule.mutate({ sourceId, schedule: 'weekly' });
    const { scanId } = await client.scans.start.mutate({ sourceId });
    expect(await app.services.rescanSchedules.runScheduled(user.id, sourceId, logger)).toEqual({ outcome: 'already-scanning' });
    await watchScan(client, scanId);
    const rows = await app.database.db.select().from(scans).where(eq(scans.userId, user.id));
    expect(rows.map((r) => r.trigger)).toEqual(['manual']);
  });

  it('puts lost schedulers back from the database, and removes those of unscheduled or deleted libraries', async () => {
    const kept = await newUser();
    await kept.client.sources.setSchedule.mutate({ sourceId: kept.sourceId, schedule: 'daily' });
    const keptId = schedulerIdOf('rescan-source', { userId: kept.user.id, sourceId: kept.sourceId });
    // Redis lost it (a restart without persistence).
    await scheduleQueue().removeJobScheduler(keptId);

    const stale = await newUser();
    const staleId = schedulerIdOf('rescan-source', { userId: stale.user.id, sourceId: stale.sourceId });
    await app.services.queues.upsertScheduler(
      'rescan-source',
      { userId: stale.user.id, sourceId: stale.sourceId },
      rescanPattern('daily', stale.user.id, stale.sourceId),
    );

    const result = await app.services.rescanSchedules.reconcile(logger);
    expect(result.upserted).toBeGreaterThanOrEqual(1);
    expect(result.removed).toBeGreaterThanOrEqual(1);
    expect((await scheduleQueue().getJobScheduler(keptId))?.pattern).toBe(rescanPattern('daily', kept.user.id, kept.sourceId));
    expect(await scheduleQueue().getJobScheduler(staleId)).toBeUndefined();
    // Nothing left to do: a second reconcile changes nothing.
    const again = await app.services.rescanSchedules.reconcile(logger);
    expect(again).toEqual({ upserted: 0, removed: 0 });

    // A scheduler whose library is gone removes itself when it fires.
    await app.services.queues.upsertScheduler(
      'rescan-source',
      { userId: stale.user.id, sourceId: stale.sourceId },
      rescanPattern('daily', stale.user.id, stale.sourceId),
    );
    expect(await app.services.rescanSchedules.runScheduled(stale.user.id, stale.sourceId, logger)).toEqual({ outcome: 'unscheduled' });
    expect(await scheduleQueue().getJobScheduler(staleId)).toBeUndefined();
  });

  it('removes the schedulers with the account', async () => {
    const { client, user, sourceId } = await newUser();
    await client.sources.setSchedule.mutate({ sourceId, schedule: 'daily' });
    await client.auth.deleteAccount.mutate({ password: 'correct horse battery' });
    expect(await scheduleQueue().getJobScheduler(schedulerIdOf('rescan-source', { userId: user.id, sourceId }))).toBeUndefined();
  });

  it('has the worker keep the hourly "on this day" sweep scheduled', async () => {
    const sweep = await waitFor(() => scheduleQueue().getJobScheduler(schedulerIdOf('on-this-day-sweep', {})));
    expect(sweep).toMatchObject({ pattern: ON_THIS_DAY_SWEEP_PATTERN, name: 'on-this-day-sweep' });
  });
});

async function waitFor<T>(read: () => Promise<T | undefined | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
