import type { Browser, Page } from 'playwright-core';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Child } from '../support/child-process.js';
import { launchChromium, screenshotPath } from '../support/browser.js';
import { writeTestLibrary } from '../support/photo-library.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

describe('scanning a library in Chromium', () => {
  let app: RunningApp;
  let worker: Child;
  let browser: Browser;
  let library: Awaited<ReturnType<typeof writeTestLibrary>>;
  beforeAll(async () => {
    library = await writeTestLibrary();
    const env = testEnv({
      CLIENT_MODE: 'vite',
      VITE_HMR_PORT: String(30_000 + (process.pid % 5_000)),
      LOCAL_IMPORT_ROOTS: library.root,
      // Each user imports from their own folder, which the form shows them.
      LOCAL_IMPORT_SHARED: 'false',
      DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')),
    });
    app = await startTestApp(env);
    worker = await startWorkerProcess(env);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (worker) await stop(worker);
    await app?.close();
  });

  async function signUp(page: Page) {
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Name').fill('Robyn');
    await page.getByLabel('Email').fill(uniqueEmail('e2e-scan'));
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByTestId('user-name').waitFor();
  }

  /** Reads the user's import folder from the form's hint and puts the test library there, as the user would. */
  async function putLibraryInOwnFolder(page: Page): Promise<string> {
    const hint = page.getByText(/^A folder on the server, not on this device\. Your import folder is /);
    await hint.waitFor();
    const own = /Your import folder is (.+?): put your photos there/.exec((await hint.textContent()) ?? '')?.[1];
    expect(own && dirname(own)).toBe(library.root);
    expect(own).toMatch(/\/\d+$/);
    const folder = join(own!, 'library');
    await cp(library.folder, folder, { recursive: true, verbatimSymlinks: true });
    return folder;
  }

  it('sets a library to rescan every day, shows the next run, and turns it off again', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    await signUp(page);
    await page.getByRole('link', { name: 'Photos library' }).click();
    await page.getByLabel('Folder path').fill(await putLibraryInOwnFolder(page));
    await page.getByRole('button', { name: 'Add folder' }).click();

    const schedule = page.getByLabel('Rescan automatically');
    await expect.poll(() => schedule.isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await schedule.inputValue()).toBe('off');
    await schedule.selectOption({ label: 'Every day' });
    await page.getByText(/^Next run /).waitFor();

    // The choice is stored on the server: a reload shows it.
    await page.reload();
    await expect.poll(() => page.getByLabel('Rescan automatically').inputValue(), { timeout: 30_000 }).toBe('daily');
    await page.getByText(/^Next run /).waitFor();
    await page.screenshot({ path: screenshotPath('library-rescan-schedule'), fullPage: true });

    await page.getByLabel('Rescan automatically').selectOption({ label: 'Off' });
    await page.getByText(/^Next run /).waitFor({ state: 'detached' });
    await page.close();
  });

  it('adds a folder, watches the scan reach 100 %, sees the failed files with reasons, and keeps one copy of a duplicate', async () => {
    // Reduced motion: the screenshots show the progress bar where it ends, not mid-animation.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    await signUp(page);
    await page.getByRole('link', { name: 'Photos library' }).click();

    await page.getByLabel('Folder path').fill('/etc');
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.getByText(/no folder you may import from at that path/).waitFor();

    await page.getByLabel('Folder path').fill(await putLibraryInOwnFolder(page));
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.getByRole('button', { name: 'Scan now' }).first().click();

    await expect.poll(() => page.getByTestId('scan-status').textContent(), { timeout: 60_000 }).toBe('completed');
    const progress = page.getByTestId('scan-progress');
    expect(await progress.getAttribute('aria-valuenow')).toBe(String(library.expected.listed));
    expect(await progress.getAttribute('aria-valuemax')).toBe(String(library.expected.listed));
    expect(await page.getByTestId('count-processed').textContent()).toBe(String(library.expected.processed));
    expect(await page.getByTestId('count-failed').textContent()).toBe(String(library.expected.failed));
    expect(await page.getByTestId('count-duplicates').textContent()).toBe(String(library.expected.extraCopies));
    await expect.poll(() => page.getByTestId('scan-failure').count(), { timeout: 30_000 }).toBe(library.expected.failed);
    expect(await page.getByTestId('scan-failure').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/empty/i), expect.stringMatching(/truncated|corrupt/i)]),
    );
    await page.screenshot({ path: screenshotPath('scan-desktop'), fullPage: true });

    await page.getByRole('link', { name: 'Duplicates' }).click();
    const groups = page.getByTestId('duplicate-group');
    await expect.poll(() => groups.count(), { timeout: 30_000 }).toBe(2);
    expect(await page.locator('[data-testid="duplicate-group"][data-kind="burst"]').count()).toBe(1);
    // Times as the clocks showed them at the venue: 21:30 in Amsterdam, whatever the browser's zone.
    expect(await page.locator('[data-testid="duplicate-group"]').first().textContent()).toMatch(/9:30:00\sPM|21:30:00/);
    // Thumbnails load through the authenticated route.
    await expect
      .poll(
        () =>
          page.locator('[data-testid="duplicate-group"] img').evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0)),
        { timeout: 30_000 },
      )
      .toBe(true);
    await page.screenshot({ path: screenshotPath('duplicates-desktop'), fullPage: true });

    const copies = page.locator('[data-testid="duplicate-group"]:not([data-kind="burst"])');
    await copies.getByRole('button', { name: 'Keep this one' }).first().click();
    await expect.poll(() => groups.count(), { timeout: 30_000 }).toBe(1);
    await page.close();
  });

  it('shows the library view on a phone-sized screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await signUp(page);
    await page.goto(`${app.url}/#/library`);
    await page.getByLabel('Folder path').waitFor();
    await page.screenshot({ path: screenshotPath('library-phone') });
    await page.close();
  });
});
