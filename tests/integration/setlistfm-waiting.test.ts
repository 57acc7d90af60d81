/**
 * A scan whose setlist.fm budget for the day is spent: its evenings wait ("waiting for
 * setlist.fm until <time>" in its live progress), never land in review because of the
 * quota, and the scan completes by itself once the day turns. The day is the test's:
 * the worker (run in this process, on the real job layer and BullMQ) counts setlist.fm
 * requests on a clock that starts 20 s before midnight UTC, shared with the stand-in. It
 * runs at a tenth of real speed until matching first meets the spent budget (so a scan
 * slowed by a busy machine still reaches matching on the spent day), then at real speed.
 * Production's budget runs on Redis's clock, so its "resume at" is real time; here the
 * clock's time is handed to BullMQ in real time the same way.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concerts } from '../../drizzle/schema/index.js';
import { JOBS } from '../../shared/jobs.js';
import { generateDemoLibrary } from '../../scripts/demo-library/generate.js';
import { startOverpassStandIn } from '../../scripts/stand-ins/overpass-stand-in.js';
import { startSetlistFmStandIn } from '../../scripts/stand-ins/setlistfm-stand-in.js';
import { JsonCache } from '../../server/cache/json-cache.js';
import { SetlistFmClient } from '../../server/integrations/setlistfm/setlistfm-client.js';
import { createSetlistFmUpstream } from '../../server/integrations/setlistfm/setlistfm-upstream.js';
import { SetlistFmConcertFacts } from '../../server/matching/setlistfm-concert-lookup.js';
import { ConcertMatchingService } from '../../server/services/concert-matching.service.js';
import { jobHandlers } from '../../worker/handlers.js';
import { JobRegistry } from '../../worker/job-registry.js';
import { startWorkers } from '../../worker/runtime.js';
import { createWorkerServices } from '../../worker/services.js';
import { ownDatabase } from '../support/own-database.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';

const API_KEY = 'test-setlistfm-key-waiting';
const DAILY_LIMIT = 20;

describe("a scan waiting for setlist.fm's next day", () => {
  let app: RunningApp;
  let redis: Redis;
  let closeAll: () => Promise<void>;
  let folder: string;
  const clockStart = Date.parse('2024-06-01T23:59:40Z');
  const realStart = Date.now();
  /** When matching first met the spent day: from then on the clock runs at real speed. */
  let armed: { real: number; clock: number } | null = null;
  const clock = () => (armed ? armed.clock + (Date.now() - armed.real) : clockStart + (Date.now() - realStart) / 10);
  /** A time of the clock, in real time (once armed). */
  const toReal = (clockMs: number) => armed!.real + (clockMs - armed!.clock);
  const midnight = new Date('2024-06-02T00:00:00Z');

  beforeAll(async () => {
    const libraryRoot = await mkdtemp(join(tmpdir(), 'ch-setlistfm-waiting-'));
    folder = join(libraryRoot, 'demo');
    const manifest = await generateDemoLibrary(folder, { concerts: 2, photosPerConcert: 4 });
    const setlistfm = await startSetlistFmStandIn({ manifest, apiKey: API_KEY, clock, faults: { rateLimitPerSecond: 1_000 } });
    const overpass = await startOverpassStandIn();
    const database = await ownDatabase('setlistfm_waiting');
    const env = testEnv({
      DATABASE_URL: database.url,
      LOCAL_IMPORT_ROOTS: libraryRoot,
      LOCAL_IMPORT_SHARED: 'true',
      DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')),
      SETLISTFM_API_URL: setlistfm.url,
      SETLISTFM_API_KEY: API_KEY,
      OVERPASS_URL: overpass.url,
    });
    app = await startTestApp(env);
    redis = new Redis(app.config.redis.url);

    // The worker, with setlist.fm counted on the test's clock: today's budget is spent before the scan starts.
    const keyPrefix = `${app.config.redis.keyPrefix}-waiting-${process.pid}`;
    const { upstreamFetch, budget } = createSetlistFmUpstream(redis, { keyPrefix, ratePerSecond: 50, dailyLimit: DAILY_LIMIT, clock });
    for (let i = 0; i < DAILY_LIMIT; i += 1) await budget.acquire();
    expect(await budget.usage()).toMatchObject({ day: '2024-06-01', used: DAILY_LIMIT });
    const client = new SetlistFmClient({
      baseUrl: setlistfm.url,
      apiKey: API_KEY,
      upstreamFetch,
      budget,
      cache: new JsonCache(redis, `${keyPrefix}-cache`),
    });
    const services = createWorkerServices(app.services.core);
    const { repositories: r } = app.services.core;
    const matching = new ConcertMatchingService(
      r.match,
      r.venues,
      r.artists,
      new SetlistFmConcertFacts(r.setlistfmShows, r.venues, client),
      app.services.core.festivals,
    );
    services.pipeline.concertMatching = {
      async matchEvent(...args: Parameters<ConcertMatchingService['matchEvent']>) {
        const outcome = await matching.matchEvent(...args);
        if (outcome.status !== 'retry' || !outcome.at) return outcome;
        armed ??= { real: Date.now(), clock: clock() };
        // The clock's "next day" in real time, as Redis's clock gives it in production.
        return { ...outcome, at: new Date(toReal(outcome.at.getTime())) };
      },
    } as ConcertMatchingService;
    const workers = startWorkers(app.config, new JobRegistry(JOBS, jobHandlers(services)), pino({ level: 'silent' }));
    closeAll = async () => {
      await workers.close(30_000);
      await Promise.all([setlistfm.close(), overpass.close()]);
      await redis.quit();
      await app.close();
      await database.drop();
    };
  }, 240_000);

  afterAll(async () => {
    await closeAll?.();
  });

  it('says "waiting for setlist.fm until" the next day while its evenings wait, then completes by itself with every concert confirmed', async () => {
    const { client } = trpcHttpClient(app.url);
    const user = await client.auth.signup.mutate({ email: uniqueEmail('waiting'), password: 'correct horse battery', name: 'Patient' });
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: folder });
    const { scanId } = await client.scans.start.mutate({ sourceId });

    // Ingest and grouping come first: minutes on a 2-core machine running two suites (60 s was met there).
    await expect.poll(async () => (await client.scans.get.query({ scanId })).waiting ?? null, { timeout: 180_000, interval: 250 }).not.toBeNull();
    const waiting = await client.scans.get.query({ scanId });
    expect(waiting).toMatchObject({ status: 'running', stage: 'matching', waiting: { service: 'setlist.fm' } });
    // The clock's midnight, in real time.
    expect(Math.abs(waiting.waiting!.until - toReal(midnight.getTime()))).toBeLessThan(2_000);
    // Waiting is not review: no concert was made of a waiting evening.
    const before = await app.database.db.select().from(concerts).where(eq(concerts.userId, user.id));
    expect(before.filter((concert) => concert.status === 'needs_review')).toEqual([]);

    await expect.poll(async () => (await client.scans.get.query({ scanId })).status, { timeout: 180_000, interval: 500 }).toBe('completed');
    expect(clock()).toBeGreaterThanOrEqual(midnight.getTime());
    const done = await client.scans.get.query({ scanId });
    expect(done.waiting ?? null).toBeNull();
    const after = await app.database.db.select().from(concerts).where(eq(concerts.userId, user.id));
    expect(after).toHaveLength(2);
    expect(after.map((concert) => concert.status)).toEqual(['confirmed', 'confirmed']);
  }, 420_000);
});
