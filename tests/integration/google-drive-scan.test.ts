import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photos, sources } from '../../drizzle/schema/index.js';
import type { Child } from '../support/child-process.js';
import { appEnvFor, startFakeGoogle, type FakeGoogle } from '../fakes/fake-google.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

const LIBRARY_SIZE = 30;
let google: FakeGoogle;
let app: RunningApp;
let worker: Child;

beforeAll(async () => {
  google = await startFakeGoogle({ images: LIBRARY_SIZE, imageSize: { width: 1024, height: 768 } });
  const env = testEnv({
    DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')),
    ...appEnvFor(google, randomBytes(32).toString('hex')),
  });
  app = await startTestApp(env);
  worker = await startWorkerProcess(env);
});
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
  await google?.close();
});

/** Follows one redirect by hand, like a browser, carrying the session cookie to our own server. */
async function visit(url: string, cookie?: string) {
  return fetch(url, { redirect: 'manual', headers: cookie && url.startsWith(app.url) ? { cookie } : {} });
}

describe('a Google Drive library', () => {
  it('connects through OAuth, scans from metadata and thumbnails without downloading a photo, then rescans incrementally', async () => {
    const { client, jar, user } = await (async () => {
      const c = trpcHttpClient(app.url);
      const u = await c.client.auth.signup.mutate({ email: uniqueEmail('drive'), password: 'correct horse battery', name: 'Drive' });
      return { ...c, user: u };
    })();

    const consent = await visit(`${app.url}/api/sources/google/connect`, jar.cookie);
    expect(consent.status).toBe(302);
    const callback = await visit(consent.headers.get('location')!);
    const landed = await visit(callback.headers.get('location')!, jar.cookie);
    expect(landed.headers.get('location')).toBe('/?connected=google');

    const [source] = await client.sources.list.query();
    expect(source).toMatchObject({ kind: 'gdrive', googleAccountEmail: 'concert.goer@gmail.com' });
    const [row] = await app.database.db.select().from(sources).where(eq(sources.id, source!.id));
    expect(row!.encryptedRefreshToken).toMatch(/^v1\./);
    for (const token of google.state.issuedRefreshTokens()) expect(row!.encryptedRefreshToken).not.toContain(token);

    // A rate limit on the first listing call is retried, not fatal.
    google.state.failNext(/\/drive\/v3\/files$/, 429, 1);
    const first = (await watchScan(client, (await client.scans.start.mutate({ sourceId: source!.id })).scanId)).at(-1)!;
    expect(first).toMatchObject({ status: 'completed', counts: { listed: LIBRARY_SIZE, processed: LIBRARY_SIZE, failed: 0 } });
    expect(google.state.downloads()).toHaveLength(0);
    // The thumbnail links from the listing are used as they are: no extra API call per photo.
    expect(google.state.requestsTo(/^\/drive\/v3\/files\/[^/]+$/)).toHaveLength(0);
    const ingested = await app.database.db.select().from(photos).where(eq(photos.userId, user.id));
    expect(ingested).toHaveLength(LIBRARY_SIZE);
    for (const photo of ingested) {
      expect(photo).toMatchObject({ status: 'ready', contentHashKind: 'md5', width: 1024, height: 768 });
      expect(photo.contentHash).toBe(google.state.file(photo.sourceFileId)!.md5);
      expect(await app.services.storage.exists(photo.thumbnailKey!)).toBe(true);
    }
    expect(ingested.filter((p) => p.timeZone && p.takenAt).length).toBeGreaterThan(LIBRARY_SIZE / 2);

    const unchanged = (await watchScan(client, (await client.scans.start.mutate({ sourceId: source!.id })).scanId)).at(-1)!;
    expect(unchanged).toMatchObject({ status: 'completed', counts: { listed: 0, processed: 0 } });
    expect(google.state.requestsTo(/\/drive\/v3\/files$/)).toHaveLength(2);

    const added = await google.state.addImage({ name: 'encore.jpg' });
    google.state.trashFile(ingested[0]!.sourceFileId);
    const third = (await watchScan(client, (await client.scans.start.mutate({ sourceId: source!.id })).scanId)).at(-1)!;
    expect(third).toMatchObject({ status: 'completed', counts: { listed: 1, processed: 1 } });
    const rows = await app.database.db.select().from(photos).where(eq(photos.userId, user.id));
    expect(rows.map((p) => p.sourceFileId)).toContain(added.id);
    expect(google.state.downloads()).toHaveLength(0);
  });
});
