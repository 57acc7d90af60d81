/**
 * Live-progress streams (scans.onProgress over SSE) each hold a connection and a
 * Redis subscription open: one user may hold at most PROGRESS_STREAMS_PER_USER of
 * them at once, counted over every web server by leases in Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sources } from '../../drizzle/schema/index.js';
import { PROGRESS_STREAMS_PER_USER } from '../../server/rate-limit/limits.js';
import { signUp, type User } from '../support/security-world.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';

let first: RunningApp;
let second: RunningApp;
beforeAll(async () => {
  // Two web servers on the same database and Redis, as behind a load balancer.
  [first, second] = await Promise.all([startTestApp({ RATE_LIMIT_API_PER_MIN: '0' }), startTestApp({ RATE_LIMIT_API_PER_MIN: '0' })]);
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
});

interface OpenStream {
  /** 'open' once the first snapshot arrived, or the error code that refused it. */
  outcome: Promise<string>;
  close(): void;
}

/** Opens one live-progress stream with this user's cookie on `app`. */
function follow(app: RunningApp, user: User, scanId: number): OpenStream {
  const { client } = trpcHttpClient(app.url, user.jar);
  let settle: (outcome: string) => void;
  const outcome = new Promise<string>((resolve) => (settle = resolve));
  const subscription = client.scans.onProgress.subscribe(
    { scanId },
    {
      onData: () => settle('open'),
      onError: (error) => {
        settle((error as { data?: { code?: string } }).data?.code ?? String(error));
        subscription.unsubscribe();
      },
    },
  );
  return { outcome, close: () => subscription.unsubscribe() };
}

/** A scan that stays queued (no worker runs here), so its stream stays open. */
async function queuedScan(app: RunningApp, user: User): Promise<number> {
  const [row] = await app.database.db.insert(sources).values({ userId: user.user.id, kind: 'upload', label: 'Followed' });
  return (await user.client.scans.start.mutate({ sourceId: row.insertId })).scanId;
}

describe('live-progress streams', () => {
  it(`are capped at ${PROGRESS_STREAMS_PER_USER} per user over all web servers, and a closed one frees its slot`, async () => {
    const user = await signUp(first, 'streams');
    const scanId = await queuedScan(first, user);
    const streams: OpenStream[] = [];
    try {
      for (let i = 0; i < PROGRESS_STREAMS_PER_USER; i++) {
        const stream = follow(i % 2 ? second : first, user, scanId);
        streams.push(stream);
        expect(await stream.outcome).toBe('open');
      }
      for (const app of [first, second]) {
        const extra = follow(app, user, scanId);
        streams.push(extra);
        expect(await extra.outcome).toBe('TOO_MANY_REQUESTS');
      }
      // The leases live in Redis with an expiry, so a web server that dies does not hold its slots for ever.
      const key = `${first.config.redis.keyPrefix}:ratelimit:progress-streams:${user.user.id}`;
      expect(await first.redis.zcard(key)).toBe(PROGRESS_STREAMS_PER_USER);
      expect(await first.redis.pttl(key)).toBeGreaterThan(0);

      // Another user is not affected.
      const other = await signUp(second, 'streams-other');
      const otherStream = follow(second, other, await queuedScan(second, other));
      streams.push(otherStream);
      expect(await otherStream.outcome).toBe('open');

      streams[0]!.close();
      await expect.poll(() => first.redis.zcard(key), { timeout: 30_000, interval: 100 }).toBe(PROGRESS_STREAMS_PER_USER - 1);
      const replacement = follow(second, user, scanId);
      streams.push(replacement);
      expect(await replacement.outcome).toBe('open');
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it('of a finished scan give their slots back, however many are opened one after another', async () => {
    const user = await signUp(first, 'streams-finished');
    const scanId = await queuedScan(first, user);
    await user.client.scans.cancel.mutate({ scanId });
    const key = `${first.config.redis.keyPrefix}:ratelimit:progress-streams:${user.user.id}`;
    for (let i = 0; i < PROGRESS_STREAMS_PER_USER + 5; i++) {
      const stream = follow(first, user, scanId);
      expect(await stream.outcome).toBe('open');
      stream.close();
    }
    await expect.poll(() => first.redis.zcard(key), { timeout: 30_000, interval: 100 }).toBe(0);
  });
});
