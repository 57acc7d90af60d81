import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artists, concerts, sources, users, venues } from '../../drizzle/schema/index.js';
import { BROWSER_PASSWORD, launchChromium, screenshotPath, signUpInBrowser, startBrowserApp } from '../support/browser.js';
import type { RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import type { Child } from '../support/child-process.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

const PASSWORD = BROWSER_PASSWORD;
// Artists and venues are shared by every test file of the run: names carry this run's tag.
const tag = `t${process.pid.toString(36)}${Date.now().toString(36)}`;

describe('settings in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  // Builds the background exports (queue `export`).
  let worker: Child;
  beforeAll(async () => {
    app = await startBrowserApp();
    // The worker shares the app's database, Redis prefix and data folder.
    worker = await startWorkerProcess(testEnv({ DATA_DIR: app.config.dataDir }));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (worker) await stop(worker);
    await app?.close();
  });

  /** A small history (as scans leave one) and a connected folder, straight into the database. */
  async function giveHistory(userId: number) {
    const db = app.database.db;
    const [artist] = await db.insert(artists).values({ name: `Nick Cave, the Bad Seeds ${tag}` });
    const [venue] = await db
      .insert(venues)
      .values({ name: `Paradiso ${tag}`, city: 'Amsterdam', countryCode: 'NL', latitude: 52.3622, longitude: 4.884 });
    await db.insert(concerts).values([
      {
        userId,
        concertDate: '2017-10-02',
        artistId: artist.insertId,
        venueId: venue.insertId,
        status: 'confirmed',
        setlist: [{ songs: [{ name: 'Anthrocene' }, { name: 'Jesus Alone' }] }],
      },
      { userId, concertDate: '2019-06-21', city: 'Utrecht', countryCode: 'NL', notes: 'Front row' },
    ]);
    await db.insert(sources).values({ userId, kind: 'local', label: 'Concert photos', localPath: '/srv/photos/concerts' });
  }

  it('downloads the history as CSV, then deletes the account after confirmation and cannot log in again', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', acceptDownloads: true });
    const { email, userId } = await signUpInBrowser(page, app, 'Ada', 'e2e-settings');
    await giveHistory(userId);

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await page.getByText('1 library connected: 1 server folder.').waitFor();
    await page.screenshot({ path: screenshotPath('settings-desktop'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^concert-history-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const lines = text.split('\r\n');
    expect(lines).toEqual([
      'Date,Artist,Artist MBID,Venue,City,Country,Tour,Festival,Status,Supporting acts,Setlist,Songs,Photos,Starred photos,Notes,setlist.fm URL',
      `2017-10-02,"Nick Cave, the Bad Seeds ${tag}",,Paradiso ${tag},Amsterdam,NL,,,confirmed,,Anthrocene; Jesus Alone,2,0,0,,`,
      '2019-06-21,,,,Utrecht,NL,,,needs_review,,,0,0,0,Front row,',
      '',
    ]);

    // Wrong password: refused, nothing deleted.
    await page.getByLabel('Your password').fill('not my password');
    await page.getByLabel(/to confirm/).fill('delete my account');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByText('That password is not correct, so nothing was deleted').waitFor();
    expect(await app.database.db.select({ id: users.id }).from(users).where(eq(users.id, userId))).toHaveLength(1);

    await page.getByLabel('Your password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(page.url()).not.toContain('#/settings');
    // The log-in page says it was done.
    expect(await page.getByTestId('account-deleted').textContent()).toContain('Your account was deleted');
    expect(await app.database.db.select({ id: users.id }).from(users).where(eq(users.id, userId))).toHaveLength(0);
    expect(await app.database.db.select({ id: concerts.id }).from(concerts).where(eq(concerts.userId, userId))).toHaveLength(0);

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Wrong email or password').waitFor();
    await page.close();
  });

  it('builds the PDF concert book in the background, shows its progress, and downloads it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', acceptDownloads: true });
    const { userId } = await signUpInBrowser(page, app, 'Nina', 'e2e-settings');
    await giveHistory(userId);
    await page.goto(`${app.url}/#/settings`);
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();

    await page.getByLabel(/Concert book \(PDF\)/).check();
    await page.getByRole('button', { name: 'Build export' }).click();
    const link = page.getByTestId('history-export-download');
    await link.waitFor();
    expect(await link.textContent()).toMatch(/^Download concert-book-\d{4}-\d{2}-\d{2}\.pdf$/);
    await page.getByRole('region', { name: 'Concert book and saved exports' }).screenshot({ path: screenshotPath('settings-exports') });

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^concert-book-\d{4}-\d{2}-\d{2}\.pdf$/);
    const bytes = await readFile((await download.path())!);
    const { totalPages, text: pages } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: false });
    expect(totalPages).toBe(3);
    // Long names wrap onto a second line on the page.
    const text = pages.map((page) => page.replace(/\s+/g, ' '));
    expect(text[1]).toContain(`Nick Cave, the Bad Seeds ${tag}`);
    expect(text[1]).toContain('Anthrocene');
    expect(text[2]).toContain('Utrecht, NL');
    await page.close();
  });

  it('changes the password, saying a wrong current one at its field, and logs the other device out', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const { email } = await signUpInBrowser(page, app, 'Grace', 'e2e-settings');
    const otherDevice = await browser.newContext();
    const other = await otherDevice.newPage();
    await other.goto(app.url);
    await other.getByLabel('Email').fill(email);
    await other.getByLabel('Password').fill(PASSWORD);
    await other.getByRole('button', { name: 'Log in' }).click();
    await other.getByTestId('user-name').waitFor();

    await page.goto(`${app.url}/#/settings`);
    const current = page.getByLabel('Current password');
    await current.fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill('a much newer password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('The current password is wrong').waitFor();
    expect(await current.getAttribute('aria-invalid')).toBe('true');

    await current.fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed. Logged out of 1 other device.').waitFor();

    await other.reload();
    await other.getByRole('button', { name: 'Log in' }).waitFor();
    await otherDevice.close();
    await page.close();
  });

  it('turns one kind of mail off and keeps the choice', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    const { userId } = await signUpInBrowser(page, app, 'Mae', 'e2e-settings');
    await page.goto(`${app.url}/#/settings`);
    const milestones = page.getByRole('checkbox', { name: 'Milestones' });
    await expect.poll(() => milestones.isChecked(), { timeout: 30_000 }).toBe(true);
    await milestones.click();
    await expect.poll(() => milestones.isChecked(), { timeout: 30_000 }).toBe(false);
    await expect.poll(() => milestones.isEnabled(), { timeout: 30_000 }).toBe(true);

    await page.reload();
    await expect.poll(() => page.getByRole('checkbox', { name: 'Milestones' }).isChecked(), { timeout: 30_000 }).toBe(false);
    expect(await page.getByRole('checkbox', { name: 'On this day' }).isChecked()).toBe(true);
    const [stored] = await app.database.db
      .select({ milestones: users.mailMilestones, onThisDay: users.mailOnThisDay })
      .from(users)
      .where(eq(users.id, userId));
    expect(stored).toEqual({ milestones: false, onThisDay: true });
    await page.close();
  });

  it('asks for the typed confirmation and shows the settings on a phone-sized screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const { userId } = await signUpInBrowser(page, app, 'Grace', 'e2e-settings');
    await page.goto(`${app.url}/#/settings`);
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByText(/No photo libraries yet/).waitFor();
    await page.screenshot({ path: screenshotPath('settings-phone') });

    await page.getByLabel('Your password').fill(PASSWORD);
    await page.getByLabel(/to confirm/).fill('delete it');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByText("That doesn't match").waitFor();
    // Focus went to the field to fix, and the account is still there.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('confirmation');
    expect(await app.database.db.select({ id: users.id }).from(users).where(eq(users.id, userId))).toHaveLength(1);
    await page.close();
  });
});
