import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artists, concerts, sources, users, venues } from '../../drizzle/schema/index.js';
import { launchChromium, screenshotPath } from '../support/browser.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';

const PASSWORD = 'a long enough password';
// Artists and venues are shared by every test file of the run: names carry this run's tag.
const tag = `t${process.pid.toString(36)}${Date.now().toString(36)}`;

describe('settings in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    const env = testEnv({
      CLIENT_MODE: 'vite',
      VITE_HMR_PORT: String(35_000 + (process.pid % 5_000)),
      DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')),
    });
    app = await startTestApp(env);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signUp(page: Page, name: string) {
    const email = uniqueEmail('e2e-settings');
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByTestId('user-name').waitFor();
    const [user] = await app.database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    return { email, userId: user!.id };
  }

  /** A small history (as scans leave one) and a connected folder, straight into the database. */
  async function giveHistory(userId: number) {
    const db = app.database.db;
    const [artist] = await db.insert(artists).values({ name: `Nick Cave, the Bad Seeds ${tag}` });
    const [venue] = await db.insert(venues).values({ name: `Paradiso ${tag}`, city: 'Amsterdam', countryCode: 'NL', latitude: 52.3622, longitude: 4.884 });
    await db.insert(concerts).values([
      {
        userId, concertDate: '2017-10-02', artistId: artist.insertId, venueId: venue.insertId, status: 'confirmed',
        setlist: [{ songs: [{ name: 'Anthrocene' }, { name: 'Jesus Alone' }] }],
      },
      { userId, concertDate: '2019-06-21', city: 'Utrecht', countryCode: 'NL', notes: 'Front row' },
    ]);
    await db.insert(sources).values({ userId, kind: 'local', label: 'Concert photos', localPath: '/srv/photos/concerts' });
  }

  it('downloads the history as CSV, then deletes the account after confirmation and cannot log in again', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', acceptDownloads: true });
    const { email, userId } = await signUp(page, 'Ada');
    await giveHistory(userId);

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await page.getByTestId('settings-email').textContent()).toBe(email);
    await page.getByText('1 library connected: 1 server folder.').waitFor();
    await page.screenshot({ path: screenshotPath('settings-desktop'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^concert-history-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const lines = text.split('\r\n');
    expect(lines).toEqual([
      'Date,Artist,Artist MBID,Venue,City,Country,Tour,Status,Supporting acts,Setlist,Songs,Photos,Starred photos,Notes,setlist.fm URL',
      `2017-10-02,"Nick Cave, the Bad Seeds ${tag}",,Paradiso ${tag},Amsterdam,NL,,confirmed,,Anthrocene; Jesus Alone,2,0,0,,`,
      '2019-06-21,,,,Utrecht,NL,,needs_review,,,0,0,0,Front row,',
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
    expect(await app.database.db.select({ id: users.id }).from(users).where(eq(users.id, userId))).toHaveLength(0);
    expect(await app.database.db.select({ id: concerts.id }).from(concerts).where(eq(concerts.userId, userId))).toHaveLength(0);

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Wrong email or password').waitFor();
    await page.close();
  });

  it('asks for the typed confirmation and shows the settings on a phone-sized screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const { userId } = await signUp(page, 'Grace');
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
