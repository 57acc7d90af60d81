import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonCache } from '../../server/cache/json-cache.js';
import { QuotaExhaustedError, SetlistFmClient } from '../../server/integrations/setlistfm/setlistfm-client.js';
import { createSetlistFmUpstream, type SetlistFmUpstreamOptions } from '../../server/integrations/setlistfm/setlistfm-upstream.js';
import { createDailyBudget } from '../../server/rate-limit/daily-budget.js';
import { ThrottleTimeoutError } from '../../server/rate-limit/global-throttle.js';
import { generateDemoLibrary } from '../../scripts/demo-library/generate.js';
import type { DemoLibraryManifest } from '../../scripts/demo-library/manifest.js';
import { startSetlistFmStandIn, type SetlistFmStandIn, type SetlistFmStandInOptions } from '../../scripts/stand-ins/setlistfm-stand-in.js';
import { testConfig } from '../support/test-env.js';

const API_KEY = 'test-api-key-quota';
const config = testConfig();
const redis = new Redis(config.redis.url);
const runPrefix = `${config.redis.keyPrefix}-setlistfm-quota-${process.pid}-${Date.now()}`;
let counter = 0;
/** A number never used before in this file: key prefixes, cache names and search pages. */
const next = () => {
  counter += 1;
  return counter;
};
let libraryDir: string;
let manifest: DemoLibraryManifest;
const standIns: SetlistFmStandIn[] = [];

beforeAll(async () => {
  libraryDir = await mkdtemp(join(tmpdir(), 'ch-setlistfm-quota-'));
  manifest = await generateDemoLibrary(libraryDir, { concerts: 3, photosPerConcert: 4 });
}, 120_000);

afterAll(async () => {
  await Promise.all(standIns.map((standIn) => standIn.close()));
  await rm(libraryDir, { recursive: true, force: true });
  await redis.quit();
});

/** A clock running at real speed from a chosen instant, shared by our budget and the stand-in; `jump` moves both. */
function clockAt(iso: string) {
  let offset = Date.parse(iso) - Date.now();
  return {
    now: () => Date.now() + offset,
    jump: (to: string) => {
      offset = Date.parse(to) - Date.now();
    },
  };
}

async function standIn(options: Partial<Pick<SetlistFmStandInOptions, 'faults' | 'clock'>> = {}) {
  const started = await startSetlistFmStandIn({ manifest, apiKey: API_KEY, ...options });
  standIns.push(started);
  return started;
}

/** One process's client; clients made with the same `keyPrefix` share one budget, as processes do through Redis. */
function processClient(baseUrl: string, keyPrefix: string, options: Omit<SetlistFmUpstreamOptions, 'keyPrefix'>) {
  const { upstreamFetch, budget } = createSetlistFmUpstream(redis, { keyPrefix, ...options });
  // A cache of its own: every search below really goes out.
  const cache = new JsonCache(redis, `${keyPrefix}-cache-${next()}`);
  return { api: new SetlistFmClient({ baseUrl, apiKey: API_KEY, upstreamFetch, budget, cache }), budget };
}

/** A stand-in that never refuses for the rate, where a test is about the day. */
const FAST = { rateLimitPerSecond: 1_000 };
const newPrefix = () => `${runPrefix}-${next()}`;
/** A different search each time (the page), so no answer comes from the cache. */
const search = (api: SetlistFmClient) => api.searchArtists({ artistName: 'e', page: next() });

describe("setlist.fm's real quotas", () => {
  it('spaces the requests of every process evenly at the configured rate, so setlist.fm never answers 429', async () => {
    const stand = await standIn({ faults: { rateLimitPerSecond: 2 } });
    const keyPrefix = newPrefix();
    const first = processClient(stand.url, keyPrefix, { ratePerSecond: 2, dailyLimit: 1_440 });
    const second = processClient(stand.url, keyPrefix, { ratePerSecond: 2, dailyLimit: 1_440 });
    // Six at once, from two processes: the old throttle let bursts of 10 through and setlist.fm refused them.
    await Promise.all([first, second, first, second, first, second].map(({ api }) => search(api)));
    expect(stand.requests.map((r) => r.status).filter((status) => status === 429)).toEqual([]);
    expect(stand.requests).toHaveLength(6);
    expect((await first.budget.usage()).used).toBe(6);
  });

  it('backs off from the per-second 429s, with and without Retry-After, and gets every answer; each try counts against the day', async () => {
    const stand = await standIn({ faults: { rateLimitPerSecond: 1, retryAfter: 'alternate' } });
    // Faster than setlist.fm allows, to meet its 429s.
    const { api, budget } = processClient(stand.url, newPrefix(), { ratePerSecond: 50, dailyLimit: 1_440, attempts: 10, baseDelayMs: 300 });
    const pages = await Promise.all([1, 2, 3, 4].map(() => search(api)));
    expect(pages).toHaveLength(4);
    const refused = stand.requests.filter((r) => r.status === 429);
    expect(refused.some((r) => r.retryAfter === '1')).toBe(true);
    expect(refused.some((r) => r.retryAfter === undefined)).toBe(true);
    expect(stand.requests.filter((r) => r.status !== 429)).toHaveLength(4);
    expect((await budget.usage()).used).toBe(stand.requests.length);
  });

  it('stops at the daily budget, in every process, with QuotaExhaustedError naming 00:00 UTC, and sends nothing more', async () => {
    const clock = clockAt('2024-06-01T22:30:00Z');
    const stand = await standIn({ clock: clock.now, faults: FAST });
    const keyPrefix = newPrefix();
    const first = processClient(stand.url, keyPrefix, { ratePerSecond: 50, dailyLimit: 3, clock: clock.now });
    const second = processClient(stand.url, keyPrefix, { ratePerSecond: 50, dailyLimit: 3, clock: clock.now });
    await search(first.api);
    await search(second.api);
    await search(first.api);
    for (const { api } of [first, second]) {
      const error = await search(api).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QuotaExhaustedError);
      expect(error).toMatchObject({ resumeAt: new Date('2024-06-02T00:00:00Z'), used: 3, limit: 3, learnedFrom: 'budget' });
    }
    expect(stand.requests).toHaveLength(3);
    expect(await first.budget.usage()).toEqual({ day: '2024-06-01', used: 3, limit: 3, spent: false });
  });

  it('resumes by itself the next day (00:00 UTC): the spent budget starts again', async () => {
    const clock = clockAt('2024-06-01T23:59:00Z');
    const stand = await standIn({ clock: clock.now, faults: FAST });
    const { api, budget } = processClient(stand.url, newPrefix(), { ratePerSecond: 50, dailyLimit: 2, clock: clock.now });
    await search(api);
    await search(api);
    const spent = await search(api).catch((e: unknown) => e);
    expect(spent).toMatchObject({ name: 'QuotaExhaustedError', resumeAt: new Date('2024-06-02T00:00:00Z') });
    clock.jump((spent as QuotaExhaustedError).resumeAt.toISOString());
    await expect(search(api)).resolves.toMatchObject({ page: expect.any(Number) });
    expect(await budget.usage()).toMatchObject({ day: '2024-06-02', used: 1, spent: false });
    expect(stand.requests.map((r) => r.status)).not.toContain(429);
  });

  it('learns from setlist.fm itself ("Limit Exceeded") that the key is spent for the day, for every process, before its own count says so', async () => {
    const clock = clockAt('2024-06-01T12:00:00Z');
    // Another install shares the key: setlist.fm has only 2 requests left today, our count knows nothing of them.
    const stand = await standIn({ clock: clock.now, faults: { ...FAST, dailyLimit: 2 } });
    const keyPrefix = newPrefix();
    const first = processClient(stand.url, keyPrefix, { ratePerSecond: 50, dailyLimit: 1_440, attempts: 3, baseDelayMs: 50, clock: clock.now });
    const second = processClient(stand.url, keyPrefix, { ratePerSecond: 50, dailyLimit: 1_440, clock: clock.now });
    await search(first.api);
    await search(first.api);
    const error = await search(first.api).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect(error).toMatchObject({ resumeAt: new Date('2024-06-02T00:00:00Z'), learnedFrom: 'upstream' });
    // The 429 "Limit Exceeded" was asked once, never retried, and no process asks again today.
    expect(stand.requests.filter((r) => r.message === 'Limit Exceeded')).toHaveLength(1);
    await expect(search(second.api)).rejects.toMatchObject({ name: 'QuotaExhaustedError', learnedFrom: 'upstream' });
    expect(stand.requests).toHaveLength(3);
  });

  it('reports the spent day even when setlist.fm says so on the last try', async () => {
    const clock = clockAt('2024-06-01T12:00:00Z');
    const stand = await standIn({ clock: clock.now, faults: { ...FAST, dailyLimit: 0 } });
    const { api } = processClient(stand.url, newPrefix(), { ratePerSecond: 50, dailyLimit: 1_440, attempts: 1, clock: clock.now });
    await expect(search(api)).rejects.toMatchObject({
      name: 'QuotaExhaustedError',
      learnedFrom: 'upstream',
      resumeAt: new Date('2024-06-02T00:00:00Z'),
    });
  });

  it('refuses a slot further ahead than the longest wait, so the job retries later instead of holding a worker', async () => {
    const budget = createDailyBudget(redis, { service: 'test', keyPrefix: newPrefix(), ratePerSecond: 0.1, dailyLimit: 10, maxWaitMs: 1_000 });
    await budget.acquire();
    const error = await budget.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottleTimeoutError);
    expect((error as ThrottleTimeoutError).retryAfterMs).toBeGreaterThan(1_000);
    expect((await budget.usage()).used).toBe(1);
  });
});
