/**
 * One user cannot fill the disk or the bucket: uploads have a per-user quota
 * (UPLOAD_QUOTA_MB) and an hourly byte limit (UPLOAD_RATE_MB_PER_HOUR), each
 * refused with a clear reason, and one upload runs at a time per user, so parallel
 * requests cannot each spend what is left.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sum } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploads } from '../../drizzle/schema/index.js';
import { startRawUpload } from '../support/raw-upload.js';
import { signUp } from '../support/security-world.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';

const MiB = 1024 * 1024;
const FILE_BYTES = 300_000;

let root: string;
let quotaApp: RunningApp;
let rateApp: RunningApp;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ch-upload-limits-'));
  const base = { RATE_LIMIT_API_PER_MIN: '0', UPLOAD_MAX_FILE_MB: '1' };
  quotaApp = await startTestApp(testEnv({ ...base, DATA_DIR: join(root, 'quota'), UPLOAD_QUOTA_MB: '1', UPLOAD_RATE_MB_PER_HOUR: '0' }));
  rateApp = await startTestApp(testEnv({ ...base, DATA_DIR: join(root, 'rate'), UPLOAD_QUOTA_MB: '0', UPLOAD_RATE_MB_PER_HOUR: '1' }));
});
afterAll(async () => {
  await quotaApp?.close();
  await rateApp?.close();
  await rm(root, { recursive: true, force: true });
});

/** Bytes that open like a JPEG: the door checks the format by the first bytes, ingest the rest, so these are taken as far as the limits go. */
const jpegLike = (size: number, fill: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4, fill)]);
const files = (count: number, label: string) =>
  Array.from({ length: count }, (_, i) => ({ name: `${label}-${i}.jpg`, bytes: jpegLike(FILE_BYTES, i + 1) }));

async function post(app: RunningApp, cookie: string, parts: Array<{ name: string; bytes: Buffer }>) {
  const form = new FormData();
  for (const part of parts) form.append('photos', new Blob([new Uint8Array(part.bytes)], { type: 'image/jpeg' }), part.name);
  const response = await fetch(`${app.url}/api/uploads`, {
    method: 'POST',
    body: form,
    headers: { origin: app.url, 'x-requested-with': 'concert-history', cookie },
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

/** Files this process (the apps run in it) holds open under `dir`. */
function openFilesUnder(dir: string): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(dir) ? [target] : [];
    } catch {
      return [];
    }
  });
}

async function storedBytes(app: RunningApp, userId: number): Promise<number> {
  const [row] = await app.database.db
    .select({ bytes: sum(uploads.byteSize) })
    .from(uploads)
    .where(eq(uploads.userId, userId));
  return Number(row?.bytes ?? 0);
}

describe('the upload quota', () => {
  it('stores files up to the quota, refuses the rest with the reason, then refuses whole uploads', async () => {
    const user = await signUp(quotaApp, 'quota');
    const first = await post(quotaApp, user.jar.cookie!, files(5, 'first'));
    expect(first.status).toBe(200);
    // 1 MiB holds three files of 300 kB; the fourth would cross it.
    expect(first.body.accepted.map((file: { name: string }) => file.name)).toEqual(['first-0.jpg', 'first-1.jpg', 'first-2.jpg']);
    expect(first.body.refused).toEqual([
      { name: 'first-3.jpg', reason: 'Over your upload quota of 1 MB: not stored' },
      { name: 'first-4.jpg', reason: 'Over your upload quota of 1 MB: not stored' },
    ]);
    expect(await storedBytes(quotaApp, user.user.id)).toBe(3 * FILE_BYTES);

    // A file that exactly fills the quota goes in; after it, nothing does.
    const small = await post(quotaApp, user.jar.cookie!, [{ name: 'small.jpg', bytes: jpegLike(MiB - 3 * FILE_BYTES, 1) }]);
    expect(small.body.accepted).toHaveLength(1);
    const full = await post(quotaApp, user.jar.cookie!, files(1, 'full'));
    expect(full.status).toBe(413);
    expect(full.body.error).toEqual({
      code: 'UPLOAD_QUOTA_EXCEEDED',
      message: 'Your uploaded photos use 1 MB of your 1 MB upload quota, so no more can be uploaded',
    });
    expect(await storedBytes(quotaApp, user.user.id)).toBe(MiB);

    // Another user has a quota of their own.
    const other = await signUp(quotaApp, 'quota-other');
    expect((await post(quotaApp, other.jar.cookie!, files(1, 'other'))).body.accepted).toHaveLength(1);
  });

  it('lets one upload of a user run at a time, so parallel uploads cannot each spend the quota left', async () => {
    const user = await signUp(quotaApp, 'parallel');
    const running = startRawUpload(quotaApp.url, user.jar.cookie!, { name: 'slow.jpg', type: 'image/jpeg' });
    await running.write(jpegLike(100_000, 1));
    // The first upload holds the user's slot once the server writes its file.
    await expect.poll(() => openFilesUnder(join(root, 'quota')).length, { timeout: 30_000 }).toBeGreaterThan(0);
    const refused = await Promise.all([
      post(quotaApp, user.jar.cookie!, files(3, 'parallel')),
      post(quotaApp, user.jar.cookie!, files(3, 'parallel')),
    ]);
    for (const answer of refused) {
      expect(answer.status).toBe(409);
      expect(answer.body.error.message).toBe('Another upload of yours is still running; wait for it to finish, then send these photos');
    }

    const finished = await running.finish();
    expect(JSON.parse(finished!.body).accepted).toHaveLength(1);
    expect((await post(quotaApp, user.jar.cookie!, files(1, 'after'))).body.accepted).toHaveLength(1);
    expect(await storedBytes(quotaApp, user.user.id)).toBe(100_000 + FILE_BYTES);
  });
});

describe('the hourly upload limit', () => {
  it('stores files up to the hour’s bytes, refuses the rest, then answers 429 with Retry-After', async () => {
    const user = await signUp(rateApp, 'hourly');
    const first = await post(rateApp, user.jar.cookie!, files(4, 'burst'));
    expect(first.body.accepted).toHaveLength(3);
    expect(first.body.refused).toEqual([
      { name: 'burst-3.jpg', reason: expect.stringMatching(/^Over the 1 MB you can upload an hour: not stored; try again in \d+ min$/) },
    ]);

    await post(rateApp, user.jar.cookie!, [{ name: 'rest.jpg', bytes: jpegLike(MiB - 3 * FILE_BYTES, 1) }]);
    const limited = await post(rateApp, user.jar.cookie!, files(1, 'later'));
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(limited.body.error.message).toMatch(/^You can upload 1 MB an hour; try again in \d+ min$/);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(3_600);
    expect(await storedBytes(rateApp, user.user.id)).toBe(MiB);

    const other = await signUp(rateApp, 'hourly-other');
    expect((await post(rateApp, other.jar.cookie!, files(1, 'other'))).body.accepted).toHaveLength(1);
  });
});
