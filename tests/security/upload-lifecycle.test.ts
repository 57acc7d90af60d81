/**
 * An upload's bytes on the web server's disk: every way an upload can end
 * (finished, refused, aborted by the client, storage down, a malformed body, the
 * account deleted meanwhile) closes its file and deletes its temp file; a sweeper
 * removes what a crashed server left; account deletion takes in-flight uploads
 * with it, on this web server and on the others. The apps run in this process, so
 * /proc/self/fd shows every file they hold open.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploads } from '../../drizzle/schema/index.js';
import { makeStagePhoto, svgDrawing } from '../support/images.js';
import { startRawUpload } from '../support/raw-upload.js';
import { PASSWORD, signUp } from '../support/security-world.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';

const SESSION_SECRET = 'upload-lifecycle-test-session-secret-0123456789';
const WAIT = { timeout: 30_000, interval: 100 };

let root: string;
let app: RunningApp;
let dataDir: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ch-upload-life-'));
  dataDir = join(root, 'data');
  app = await startTestApp(testEnv({ DATA_DIR: dataDir, SESSION_SECRET, UPLOAD_MAX_FILE_MB: '1', RATE_LIMIT_API_PER_MIN: '0' }));
});
afterAll(async () => {
  await app?.close();
  await rm(root, { recursive: true, force: true });
});

/** Files this process (the apps) holds open under `dir`, deleted ones included. */
function openFilesUnder(dir: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) open.push(target);
    } catch {
      // Closed between the listing and the readlink.
    }
  }
  return open;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** Half-received bytes anywhere under the data folder: upload temp files, or storage's own temp files. */
async function tempLeftovers(dir: string): Promise<string[]> {
  return (await filesUnder(dir)).filter((path) => path.startsWith('tmp/') || path.endsWith('.tmp') || path.endsWith('.part'));
}

async function uploadRows(userId: number) {
  return app.database.db.select().from(uploads).where(eq(uploads.userId, userId));
}

async function post(target: RunningApp, cookie: string, files: Array<{ name: string; type: string; bytes: Buffer }>) {
  const form = new FormData();
  for (const file of files) form.append('photos', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const response = await fetch(`${target.url}/api/uploads`, {
    method: 'POST',
    body: form,
    headers: { origin: target.url, 'x-requested-with': 'concert-history', cookie },
  });
  return { status: response.status, body: await response.json() };
}

async function expectNothingHeld(dir: string) {
  await expect.poll(() => openFilesUnder(dir), WAIT).toEqual([]);
  await expect.poll(() => tempLeftovers(dir), WAIT).toEqual([]);
}

describe('an upload that does not finish', () => {
  it('leaves no open file and no temp file when the client aborts it mid-file, however often', async () => {
    const user = await signUp(app, 'aborter');
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const upload = startRawUpload(app.url, user.jar.cookie!, { name: `half-${attempt}.jpg`, type: 'image/jpeg' });
      await upload.write(Buffer.alloc(256 * 1024, attempt + 1));
      // The server is writing the file somewhere under its data folder…
      await expect.poll(() => openFilesUnder(dataDir).length, WAIT).toBeGreaterThan(0);
      // …when the client goes away: the file is closed and deleted at once, not after a timeout.
      upload.abort();
      await expectNothingHeld(dataDir);
    }
    expect(await uploadRows(user.user.id)).toEqual([]);
  });

  it('closes and deletes on every other way out: over-size, refused type, storage failure, malformed body', async () => {
    const user = await signUp(app, 'exits');
    const cookie = user.jar.cookie!;
    const photo = await makeStagePhoto({ seed: 71, width: 320, height: 240 });

    const oversize = await post(app, cookie, [{ name: 'huge.jpg', type: 'image/jpeg', bytes: Buffer.alloc(1_300_000, 9) }]);
    expect(oversize.body.refused).toEqual([{ name: 'huge.jpg', reason: 'Larger than the 1 MB limit' }]);
    await expectNothingHeld(dataDir);

    const drawing = await post(app, cookie, [{ name: 'drawing.svg', type: 'image/svg+xml', bytes: svgDrawing() }]);
    expect(drawing.body.refused).toEqual([{ name: 'drawing.svg', reason: 'Not a supported photo type (image/svg+xml)' }]);
    await expectNothingHeld(dataDir);

    const storage = app.services.storage;
    const put = storage.put;
    storage.put = async () => {
      throw new Error('bucket on fire at s3://internal-bucket/users/1');
    };
    try {
      const failed = await post(app, cookie, [{ name: 'unlucky.jpg', type: 'image/jpeg', bytes: photo }]);
      expect(failed.status).toBe(200);
      expect(failed.body.accepted).toEqual([]);
      expect(failed.body.refused).toEqual([{ name: 'unlucky.jpg', reason: expect.stringMatching(/could not be stored/i) }]);
      // The storage's own words (bucket names, paths) stay in the server's log.
      expect(JSON.stringify(failed.body)).not.toMatch(/bucket|s3:|fire/);
    } finally {
      storage.put = put;
    }
    await expectNothingHeld(dataDir);

    const malformed = startRawUpload(app.url, cookie, { name: 'cut.jpg', type: 'image/jpeg' });
    await malformed.write(photo.subarray(0, 4_000));
    await expect.poll(() => openFilesUnder(dataDir).length, WAIT).toBeGreaterThan(0);
    const answer = await malformed.endTruncated();
    expect(answer?.status).toBe(400);
    await expectNothingHeld(dataDir);

    expect(await uploadRows(user.user.id)).toEqual([]);
    // The control: the same photo, sent whole, is stored (and only it).
    const whole = await post(app, cookie, [{ name: 'whole.jpg', type: 'image/jpeg', bytes: photo }]);
    expect(whole.body.accepted).toEqual([{ name: 'whole.jpg', fileId: expect.stringMatching(/^upload-\d+$/) }]);
    expect(await uploadRows(user.user.id)).toHaveLength(1);
    await expectNothingHeld(dataDir);
  });
});

describe('account deletion', () => {
  it('stops the account’s upload in flight and removes its temp file, rows and stored objects', async () => {
    const user = await signUp(app, 'leaver');
    const cookie = user.jar.cookie!;
    const stored = await post(app, cookie, [
      { name: 'kept.jpg', type: 'image/jpeg', bytes: await makeStagePhoto({ seed: 72, width: 320, height: 240 }) },
    ]);
    expect(stored.body.accepted).toHaveLength(1);

    const inFlight = startRawUpload(app.url, cookie, { name: 'in-flight.jpg', type: 'image/jpeg' });
    await inFlight.write(Buffer.alloc(300 * 1024, 5));
    await expect.poll(() => openFilesUnder(dataDir).length, WAIT).toBeGreaterThan(0);

    await user.client.auth.deleteAccount.mutate({ password: PASSWORD });

    await expectNothingHeld(dataDir);
    expect(await filesUnder(join(dataDir, 'objects', 'users', String(user.user.id)))).toEqual([]);
    expect(await uploadRows(user.user.id)).toEqual([]);
    inFlight.abort();
  });

  it('stops an upload in flight on another web server too, which keeps none of its bytes', async () => {
    const otherData = join(root, 'other-server');
    const other = await startTestApp(testEnv({ DATA_DIR: otherData, SESSION_SECRET, UPLOAD_MAX_FILE_MB: '1', RATE_LIMIT_API_PER_MIN: '0' }));
    try {
      const user = await signUp(app, 'leaver-elsewhere');
      const inFlight = startRawUpload(other.url, user.jar.cookie!, { name: 'elsewhere.jpg', type: 'image/jpeg' });
      await inFlight.write(Buffer.alloc(300 * 1024, 6));
      await expect.poll(() => openFilesUnder(otherData).length, WAIT).toBeGreaterThan(0);

      // Deleted through the first server: the second one learns it from Redis.
      await user.client.auth.deleteAccount.mutate({ password: PASSWORD });
      await expectNothingHeld(otherData);
      // Whatever the client still sends is not kept.
      await inFlight.write(Buffer.alloc(64 * 1024, 7)).catch(() => {});
      const answer = await inFlight.finish();
      expect(answer === null || answer.status === 403).toBe(true);
      expect(await uploadRows(user.user.id)).toEqual([]);
      expect(await filesUnder(join(otherData, 'objects', 'users', String(user.user.id)))).toEqual([]);
      await expectNothingHeld(otherData);
    } finally {
      await other.close();
    }
  });
});

describe('the temp file sweeper', () => {
  it('removes temp files a crashed server left behind when a web server starts, and keeps fresh ones', async () => {
    const crashedData = join(root, 'crashed-server');
    const userFolder = join(crashedData, 'tmp', 'uploads', '424242');
    await mkdir(userFolder, { recursive: true });
    const orphan = join(userFolder, `${randomUUID()}.part`);
    const fresh = join(userFolder, `${randomUUID()}.part`);
    await writeFile(orphan, Buffer.alloc(10_000, 1));
    await writeFile(fresh, Buffer.alloc(10_000, 2));
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(orphan, twoHoursAgo, twoHoursAgo);

    const restarted = await startTestApp(testEnv({ DATA_DIR: crashedData, SESSION_SECRET }));
    try {
      await expect.poll(() => filesUnder(join(crashedData, 'tmp')), WAIT).toEqual([relative(join(crashedData, 'tmp'), fresh)]);
    } finally {
      await restarted.close();
    }
  });
});
