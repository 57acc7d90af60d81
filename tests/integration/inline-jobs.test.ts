/**
 * The "queue off" rollback switch: with INLINE_QUEUES=image the web server renders
 * a starred photo's variants itself, in the star request, and queues nothing; the
 * worker here does not even serve the image queue.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import type { Child } from '../support/child-process.js';
import { makeStagePhoto } from '../support/images.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

let app: RunningApp;
let worker: Child;
let folder: string;
beforeAll(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ch-inline-'));
  folder = join(dataDir, 'libraries', 'one');
  await mkdir(folder, { recursive: true });
  const exif = { localTime: '2019-07-05T21:30:00', latitude: 52.3622, longitude: 4.884 };
  await writeFile(join(folder, 'stage.jpg'), await makeStagePhoto({ seed: 77, width: 1600, height: 1200, exif }));
  const env = { DATA_DIR: dataDir, INLINE_QUEUES: 'image' };
  app = await startTestApp(env);
  worker = await startWorkerProcess(testEnv({ ...env, WORKER_QUEUES: 'scan,photo,venue,match' }));
}, 240_000);
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
});

describe('INLINE_QUEUES', () => {
  it('renders the variants inside the star request and leaves the image queue empty', async () => {
    const { client } = trpcHttpClient(app.url);
    await client.auth.signup.mutate({ email: uniqueEmail('inline'), password: 'correct horse battery', name: 'Fan' });
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: folder });
    const { scanId } = await client.scans.start.mutate({ sourceId });
    expect((await watchScan(client, scanId)).at(-1)!.status).toBe('completed');
    // Without setlist.fm or OpenStreetMap the evening becomes a concert that needs review.
    const [concert] = (await client.concerts.list.query({})).items;
    const [photo] = (await client.photos.list.query({ concertId: concert!.id })).items;
    expect(photo!.variants).toEqual([]);

    await client.photos.star.mutate({ id: photo!.id, starred: true });

    // No waiting: the request returned after rendering.
    const [after] = (await client.photos.list.query({ concertId: concert!.id })).items;
    expect(after!.variants.map((v) => v.width)).toEqual([400, 800, 1200]);
    const image = app.services.queues.queue('image');
    expect(await image.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed')).toEqual({
      waiting: 0,
      active: 0,
      completed: 0,
      failed: 0,
      delayed: 0,
    });
  });

  it('accepts only queues of small jobs', () => {
    expect(() => loadConfig({ INLINE_QUEUES: 'photo' })).toThrow(/INLINE_QUEUES.*only queues of small jobs can run inline: image/s);
    expect(loadConfig({ INLINE_QUEUES: 'image, image' }).worker.inlineQueues).toEqual(['image']);
  });
});
