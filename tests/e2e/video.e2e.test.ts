/**
 * A real phone video in Chromium: a MOV (H.264, from the shared corpus) scanned from a
 * server folder by a real worker, put into a concert, and played in the lightbox,
 * streamed from its signed media URL with Range requests. A photo beside it shows its
 * preview through srcset on a 1920 px screen and can be downloaded from the lightbox.
 */
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_MEDIA_DIR } from '../fixtures/real-media/truth.js';
import { launchChromium, screenshotPath } from '../support/browser.js';
import type { Child } from '../support/child-process.js';
import { makeStagePhoto } from '../support/images.js';
import { ownDatabase } from '../support/own-database.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

const PASSWORD = 'correct horse battery';

describe('a phone video and a photo in the lightbox, in Chromium', () => {
  let app: RunningApp;
  let worker: Child;
  let browser: Browser;
  let dropDatabase: () => Promise<void>;
  let email: string;
  let concertId: number;

  beforeAll(async () => {
    const libraryRoot = await mkdtemp(join(tmpdir(), 'ch-video-e2e-'));
    const folder = join(libraryRoot, 'phone');
    await mkdir(folder, { recursive: true });
    await copyFile(join(REAL_MEDIA_DIR, 'videos/photoprism_ex__earth.mov'), join(folder, 'earth.mov'));
    await writeFile(
      join(folder, 'stage.jpg'),
      await makeStagePhoto({ seed: 21, width: 3000, height: 2000, exif: { localTime: '2019-07-05T21:30:00', latitude: 52.3622, longitude: 4.884 } }),
    );
    const database = await ownDatabase('video_e2e');
    dropDatabase = database.drop;
    const env = testEnv({
      DATABASE_URL: database.url,
      LOCAL_IMPORT_ROOTS: libraryRoot,
      DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')),
      CLIENT_MODE: 'vite',
      VITE_HMR_PORT: String(36_000 + (process.pid % 5_000)),
    });
    worker = await startWorkerProcess(env);
    app = await startTestApp(env);
    browser = await launchChromium();

    const { client } = trpcHttpClient(app.url);
    email = uniqueEmail('e2e-video');
    await client.auth.signup.mutate({ email, password: PASSWORD, name: 'Robyn' });
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: folder });
    const { scanId } = await client.scans.start.mutate({ sourceId });
    expect((await watchScan(client, scanId, 180_000)).at(-1)).toMatchObject({ status: 'completed', counts: { processed: 2, failed: 0 } });
    // The video has no date or place of its own: the user puts it and the photo into a concert.
    const unmatched = await client.photos.list.query({ unmatched: true });
    const byName = new Map(unmatched.items.map((item) => [item.fileName, item.id]));
    const all = [byName.get('earth.mov'), byName.get('stage.jpg')].filter((id): id is number => id !== undefined);
    const concerts = await client.concerts.list.query({});
    const stageConcert = concerts.items[0]?.id;
    if (stageConcert) {
      await client.photos.move.mutate({ photoIds: all, concertId: stageConcert });
      concertId = stageConcert;
    } else {
      concertId = (await client.concerts.create.mutate({ date: '2019-07-05', artist: { artistName: 'Earthrise' }, photoIds: all })).id;
    }
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (worker) await stop(worker);
    await app?.close();
    await dropDatabase?.();
  });

  it('plays the MOV in the lightbox, streamed with Range requests (206) from its signed URL', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const mediaAnswers: Array<{ url: string; status: number; range: string | undefined }> = [];
    page.on('response', (response) => {
      if (response.url().includes('/media/') && response.url().includes('/originals/')) {
        mediaAnswers.push({ url: response.url(), status: response.status(), range: response.request().headers().range });
      }
    });
    try {
      await page.goto(app.url);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByTestId('user-name').waitFor();
      await page.goto(`${app.url}/#/concerts/${concertId}`);
      await page.getByTestId('concert-page').waitFor();
      const tiles = page.getByTestId('photo-tile');
      await expect.poll(() => tiles.count(), { timeout: 60_000 }).toBe(2);

      // The photo first (the grid is in capture order, the undated video last): its 2048 px preview is in the
      // srcset, and a 1920 px screen picks it, not the 400 px thumbnail.
      const lightbox = page.getByTestId('lightbox');
      await tiles.first().locator('.photo-tile__open').click();
      await lightbox.waitFor();
      // Full screen, whatever order the views' style sheets arrived in.
      expect(await lightbox.boundingBox()).toMatchObject({ x: 0, y: 0, width: 1920, height: 1080 });
      const image = lightbox.locator('img');
      await expect.poll(() => image.getAttribute('srcset'), { timeout: 30_000 }).toMatch(/\/previews\/[0-9a-f]{64}\.webp\?[^ ]* 2048w/);
      await expect
        .poll(() => image.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth), { timeout: 30_000 })
        .toBeGreaterThan(1900);
      // (naturalWidth is the density-corrected width: the 2048 px preview drawn at 100vw reads as the viewport's.)
      expect(await image.evaluate((img) => (img as HTMLImageElement).currentSrc)).toMatch(/\/previews\//);

      // Then the video, the next item.
      await page.keyboard.press('ArrowRight');
      const video = lightbox.getByTestId('lightbox-video');
      await video.waitFor();
      expect(await lightbox.getByRole('heading', { level: 2 }).textContent()).toBe('Video 2 of 2');
      expect(await video.getAttribute('src')).toMatch(/^\/media\/users\/\d+\/originals\/[0-9a-f]{64}\.mov\?e=\d+&s=/);
      expect(await video.getAttribute('poster')).toMatch(/\/previews\/[0-9a-f]{64}\.webp\?/);
      await video.evaluate((element) => {
        const player = element as HTMLVideoElement;
        player.muted = true;
        return player.play();
      });
      await expect.poll(() => video.evaluate((element) => (element as HTMLVideoElement).readyState), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
      await expect.poll(() => video.evaluate((element) => (element as HTMLVideoElement).currentTime), { timeout: 60_000 }).toBeGreaterThan(0.2);
      expect(await video.evaluate((element) => (element as HTMLVideoElement).error)).toBeNull();
      await page.screenshot({ path: screenshotPath('lightbox-video') });
      expect(mediaAnswers.some((answer) => answer.status === 206 && answer.range?.startsWith('bytes='))).toBe(true);
      expect(await lightbox.getByTestId('lightbox-download').getAttribute('href')).toMatch(/&d=earth\.mov&s=/);
    } finally {
      await context.close();
    }
  });
});
