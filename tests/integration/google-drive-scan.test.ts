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

/** The browser's round trip: our /connect, Google's consent (which the fake approves), our callback. */
async function connectDrive(cookie: string) {
  const consent = await visit(`${app.url}/api/sources/google/connect`, cookie);
  const callback = await visit(consent.headers.get('location')!);
  return visit(callback.headers.get('location')!, cookie);
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
    expect(landed.headers.get('location')).toBe('/#/library?google=connected');

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

  it('is one library per Google account: connecting the same account again renews its grant instead of adding a copy', async () => {
    const { client, jar } = trpcHttpClient(app.url);
    const user = await client.auth.signup.mutate({ email: uniqueEmail('drive-twice'), password: 'correct horse battery', name: 'Drive' });
    expect((await connectDrive(jar.cookie!)).headers.get('location')).toBe('/#/library?google=connected');
    const [first] = await client.sources.list.query();
    const rowsOf = () => app.database.db.select().from(sources).where(eq(sources.userId, user.id));
    const [before] = await rowsOf();

    // The user revokes access at Google; scans of the library now fail until Drive is connected again.
    for (const token of google.state.issuedRefreshTokens()) google.state.revokeRefreshToken(token);
    const refused = (await watchScan(client, (await client.scans.start.mutate({ sourceId: first!.id })).scanId)).at(-1)!;
    expect(refused.status).toBe('failed');

    expect((await connectDrive(jar.cookie!)).headers.get('location')).toBe('/#/library?google=connected');
    const after = await rowsOf();
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(first!.id);
    expect(after[0]!.encryptedRefreshToken).not.toBe(before!.encryptedRefreshToken);
    expect(await client.sources.list.query()).toHaveLength(1);
    // The renewed grant is the one the library now uses.
    const renewed = (await watchScan(client, (await client.scans.start.mutate({ sourceId: first!.id })).scanId)).at(-1)!;
    expect(renewed.status).toBe('completed');

    // Two callbacks for the same account landing at once (two tabs): the unique key keeps one library.
    const grant = { email: 'Concert.Goer@gmail.com', encryptedRefreshToken: after[0]!.encryptedRefreshToken! };
    const ids = await Promise.all([app.services.sources.addGoogleDrive(user.id, grant), app.services.sources.addGoogleDrive(user.id, grant)]);
    expect(ids).toEqual([{ id: first!.id }, { id: first!.id }]);
    expect(await rowsOf()).toHaveLength(1);
  });
});
