/**
 * Two workers matching one event at the same moment (a retried job racing its
 * first run, or two scans of one evening) must leave one concert holding every
 * photo. Two independent service stacks, each with its own database pool, stand
 * in for the two worker processes.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concerts, photos, users } from '../../drizzle/schema/index.js';
import { createDatabase } from '../../server/db/client.js';
import { createLogger } from '../../server/logger.js';
import { createQueueRedis, createRedis } from '../../server/redis.js';
import { createCoreServices } from '../../server/services/core.js';
import { createWorkerServices, type WorkerServices } from '../../worker/services.js';
import { testConfig, uniqueEmail } from '../support/test-env.js';

const config = testConfig();
const logger = createLogger(config);
const stacks: Array<{ services: WorkerServices; close(): Promise<void> }> = [];

function workerStack() {
  const database = createDatabase(config.database, logger);
  const redis = createRedis(config.redis);
  const queueRedis = createQueueRedis(config.redis);
  const services = createWorkerServices(createCoreServices({ config, db: database.db, redis, queueRedis }));
  const stack = {
    services,
    db: database.db,
    async close() {
      await services.core.queues.close();
      await database.close();
      redis.disconnect();
      queueRedis.disconnect();
    },
  };
  stacks.push(stack);
  return stack;
}

let first: ReturnType<typeof workerStack>;
let second: ReturnType<typeof workerStack>;
beforeAll(() => {
  first = workerStack();
  second = workerStack();
});
afterAll(async () => {
  await Promise.all(stacks.map((stack) => stack.close()));
});

describe('matching one event from two workers at once', () => {
  it('creates one concert and puts every photo of the event in it', async () => {
    const [row] = await first.db.insert(users).values({ email: uniqueEmail('race'), name: 'Racer', passwordHash: 'not a hash' });
    const user = { id: row.insertId };
    const sourceId = await first.services.core.sources.uploadSourceOf(user.id);
    const eventKey = '2019-07-05@48.870,2.328';
    const rows = Array.from({ length: 6 }, (_, i) => ({
      userId: user.id,
      sourceId,
      sourceFileId: `race/${i}.jpg`,
      fileName: `${i}.jpg`,
      status: 'ready' as const,
      takenAt: new Date(Date.UTC(2019, 6, 5, 19, i)),
      timeZone: 'Europe/Paris',
      latitude: 48.8703,
      longitude: 2.3283,
      eventKey,
    }));
    await first.db.insert(photos).values(rows);
    const payload = {
      scanId: 999_999_000 + (process.pid % 1000),
      userId: user.id,
      eventKey,
      evening: '2019-07-05',
      latitude: 48.8703,
      longitude: 2.3283,
      timeZone: 'Europe/Paris',
      venueId: null,
      venueConfidence: null,
    };
    const results = await Promise.all([
      first.services.pipeline.concertMatching.matchEvent(payload, logger),
      second.services.pipeline.concertMatching.matchEvent(payload, logger),
      first.services.pipeline.concertMatching.matchEvent(payload, logger),
    ]);

    const made = await first.db.select().from(concerts).where(eq(concerts.userId, user.id));
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ eventKey, concertDate: '2019-07-05', status: 'needs_review', city: 'Paris', countryCode: 'FR' });
    expect(results.map((r) => (r.status === 'done' && 'concertId' in r.value ? r.value.concertId : null))).toEqual([
      made[0]!.id,
      made[0]!.id,
      made[0]!.id,
    ]);
    const linked = await first.db
      .select({ concertId: photos.concertId })
      .from(photos)
      .where(and(eq(photos.userId, user.id), eq(photos.eventKey, eventKey)));
    expect(linked.map((p) => p.concertId)).toEqual(rows.map(() => made[0]!.id));
  });
});
