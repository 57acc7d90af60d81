/**
 * The main journey of issue 6 in Chromium, in one go, against the real server,
 * worker, MariaDB and Redis: sign up → import the demo library → the scan reaches
 * 100 % → the timeline shows the concerts → one is settled from the review inbox →
 * its page → a starred photo's variant → the history exported as CSV. The worker
 * ran without setlist.fm (an outage), so the shows start in the inbox; the web
 * server reaches the stand-ins, which the inbox uses.
 */
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startMatchingWorld, type MatchingWorld } from '../support/matching-world.js';
import { uniqueEmail } from '../support/test-env.js';

describe('the main journey in Chromium', () => {
  let world: MatchingWorld;
  let browser: Browser;

  beforeAll(async () => {
    // vite.config.ts reads its HMR port from this process's environment, where the app runs.
    const hmrPort = String(40_000 + (process.pid % 5_000));
    process.env.VITE_HMR_PORT = hmrPort;
    world = await startMatchingWorld({
      label: 'e2e_journey',
      concerts: 3,
      outside: { web: true, worker: false },
      setlistfmFaults: { rateLimitPerSecond: 50 },
      appEnv: { CLIENT_MODE: 'vite', VITE_HMR_PORT: hmrPort },
    });
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('signs up, imports, browses, settles a show, stars a photo and exports the history', async () => {
    const shows = world.manifest.concerts;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    await page.goto(world.app.url);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Name').fill('Robyn');
    await page.getByLabel('Email').fill(uniqueEmail('journey'));
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByTestId('user-name').waitFor();

    // Import the demo library and watch the scan to 100 %.
    await page.getByRole('link', { name: 'Photos library' }).click();
    await page.getByLabel('Folder path').fill(world.folder);
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.getByRole('button', { name: 'Scan now' }).first().click();
    await expect.poll(() => page.getByTestId('scan-status').textContent(), { timeout: 120_000 }).toBe('completed');
    const progress = page.getByTestId('scan-progress');
    expect(await progress.getAttribute('aria-valuenow')).toBe(await progress.getAttribute('aria-valuemax'));

    // The timeline shows every show, waiting for review.
    await page.getByRole('link', { name: 'Concerts', exact: true }).click();
    await expect.poll(() => page.getByTestId('concert-card').count(), { timeout: 30_000 }).toBe(shows.length);

    // One click in the inbox settles a show by its setlist.
    const show = shows[0]!;
    await page.getByRole('link', { name: 'Review', exact: true }).click();
    const items = page.getByTestId('inbox-event');
    await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(shows.length);
    const item = items.filter({ hasText: show.venue.city }).first();
    await item.locator('.inbox-item__toggle').click();
    const candidate = item.getByTestId('setlist-candidate').filter({ hasText: show.artist }).filter({ hasText: show.venue.name }).first();
    await candidate.waitFor({ timeout: 60_000 });
    await candidate.getByRole('button', { name: `Choose ${show.artist} at ${show.venue.name}` }).click();
    await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(shows.length - 1);

    // Its page: the setlist with setlist.fm's link, and a starred photo's variants in the srcset.
    await page.getByRole('link', { name: 'Concerts', exact: true }).click();
    await page.getByRole('link', { name: show.artist }).click();
    await page.getByTestId('concert-page').waitFor();
    await page.getByRole('link', { name: /Setlist from setlist\.fm/ }).waitFor();
    await page.getByTestId('photo-tile').first().locator('.photo-tile__open').click();
    const lightbox = page.getByTestId('lightbox');
    // Its label follows its state: "Star", then "Starred".
    const star = lightbox.getByRole('button', { name: /^Star(red)?$/ });
    await star.click();
    await expect.poll(() => star.getAttribute('aria-pressed'), { timeout: 30_000 }).toBe('true');
    expect(await star.textContent()).toBe('Starred');
    await expect.poll(() => lightbox.locator('img').getAttribute('srcset'), { timeout: 30_000 }).toMatch(/\/variants\/[^ ]*\/1200\.webp\?[^ ]* \d+w/);
    await expect
      .poll(() => lightbox.locator('img').evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth), {
        timeout: 30_000,
      })
      .toBeGreaterThan(400);
    await page.keyboard.press('Escape');

    // The whole history as CSV: a row per show, the settled one with its artist and setlist.
    await page.getByRole('link', { name: 'Settings' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(1 + shows.length);
    expect(lines[0]).toMatch(/^date,artist,/i);
    const settled = lines.find((line) => line.startsWith(show.localDate))!;
    expect(settled).toContain(show.artist);
    expect(settled).toContain(show.venue.name);
    expect(settled).toContain(show.setlist[0]!.songs.find((song) => !song.tape)!.name);
  });
});
