import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photos, uploads } from '../../drizzle/schema/index.js';
import type { Child } from '../support/child-process.js';
import { makeStagePhoto, svgDrawing } from '../support/images.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

let app: RunningApp;
let worker: Child;
beforeAll(async () => {
  const env = testEnv({ DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')), UPLOAD_MAX_FILE_MB: '1' });
  app = await startTestApp(env);
  worker = await startWorkerProcess(env);
});
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
});

function upload(cookie: string | undefined, files: Array<{ name: string; type: string; bytes: Buffer }>, headers: Record<string, string> = {}) {
  const form = new FormData();
  for (const file of files) form.append('photos', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return fetch(`${app.url}/api/uploads`, {
    method: 'POST',
    body: form,
    headers: { origin: app.url, 'x-requested-with': 'concert-history', ...(cookie ? { cookie } : {}), ...headers },
  });
}

describe('browser uploads', () => {
  it('streams accepted photos to storage, refuses the rest with reasons, and a scan ingests them', async () => {
    const { client, jar, user } = await (async () => {
      const c = trpcHttpClient(app.url);
      return { ...c, user: await c.client.auth.signup.mutate({ email: uniqueEmail('upload'), password: 'correct horse battery', name: 'Up' }) };
    })();
    const photo = await makeStagePhoto({ seed: 9, width: 800, height: 600 });
    const response = await upload(jar.cookie, [
      { name: '../../etc/passwd.jpg', type: 'image/jpeg', bytes: photo },
      { name: 'drawing.svg', type: 'image/svg+xml', bytes: svgDrawing() },
      { name: 'huge.jpg', type: 'image/jpeg', bytes: Buffer.alloc(1_200_000, 1) },
      { name: 'empty.jpg', type: 'image/jpeg', bytes: Buffer.alloc(0) },
    ]);
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.accepted).toEqual([{ name: 'passwd.jpg', fileId: expect.stringMatching(/^upload-\d+$/) }]);
    expect(Object.fromEntries(result.refused.map((r: { name: string; reason: string }) => [r.name, r.reason]))).toEqual({
      'drawing.svg': 'Not a supported photo type (image/svg+xml)',
      'huge.jpg': 'Larger than the 1 MB limit',
      'empty.jpg': 'The file is empty',
    });
    const [stored] = await app.database.db.select().from(uploads).where(eq(uploads.userId, user.id));
    expect(stored!.fileName).toBe('passwd.jpg');
    expect(stored!.storageId).toMatch(/^[0-9a-f-]{36}$/);

    const { scanId } = await client.scans.start.mutate({ sourceId: result.sourceId });
    const final = (await watchScan(client, scanId)).at(-1)!;
    expect(final).toMatchObject({ status: 'completed', counts: { listed: 1, processed: 1 } });
    const [row] = await app.database.db.select().from(photos).where(eq(photos.userId, user.id));
    expect(row).toMatchObject({ fileName: 'passwd.jpg', status: 'ready', width: 800 });
  });

  it('keeps non-ASCII file names as the user wrote them, through storage, the scan and the refusals', async () => {
    const { client, jar, user } = await (async () => {
      const c = trpcHttpClient(app.url);
      return { ...c, user: await c.client.auth.signup.mutate({ email: uniqueEmail('names'), password: 'correct horse battery', name: 'Up' }) };
    })();
    const photoName = 'Konzert in Köln – 東京.jpg';
    const brokenName = 'Setlist Zürich – Ÿ€s 🎸.jpg';
    // What macOS sends: "ö" as "o" and a combining diaeresis.
    const decomposedName = 'Ko\u0308ln Bu\u0308hne.jpg';
    const response = await upload(jar.cookie, [
      { name: photoName, type: 'image/jpeg', bytes: await makeStagePhoto({ seed: 10, width: 640, height: 480 }) },
      { name: brokenName, type: 'image/jpeg', bytes: Buffer.from('not a photo, just text') },
      { name: decomposedName, type: 'image/jpeg', bytes: await makeStagePhoto({ seed: 12, width: 640, height: 480 }) },
    ]);
    const result = await response.json();
    expect(result.accepted.map((file: { name: string }) => file.name).sort()).toEqual([photoName, 'Köln Bühne.jpg'].sort());
    // Text is refused by its content before it is stored, under the name as written.
    expect(result.refused).toEqual([{ name: brokenName, reason: expect.stringMatching(/^Not a photo/) }]);
    const rows = await app.database.db.select().from(uploads).where(eq(uploads.userId, user.id));
    expect(rows.map((row) => row.fileName).sort()).toEqual([photoName, 'Köln Bühne.jpg'].sort());

    const { scanId } = await client.scans.start.mutate({ sourceId: result.sourceId });
    expect((await watchScan(client, scanId)).at(-1)).toMatchObject({ status: 'completed', counts: { listed: 2, processed: 2, failed: 0 } });
    const photoRows = await app.database.db.select().from(photos).where(eq(photos.userId, user.id));
    expect(
      photoRows
        .filter((row) => row.status === 'ready')
        .map((row) => row.fileName)
        .sort(),
    ).toEqual([photoName, 'Köln Bühne.jpg'].sort());
  });
  // Uploads without a session, from another origin or without the app header: tests/security/csrf.test.ts.
});
