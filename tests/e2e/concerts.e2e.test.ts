/**
 * The concert history in Chromium: a user whose demo library was scanned (three
 * shows, matched through the setlist.fm and Overpass stand-ins by a real worker)
 * browses the timeline, filters and searches it, opens a concert, reads its
 * setlist, pages through the photos in the lightbox, stars one and sees the
 * worker's variants arrive, and edits the notes.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concerts, photos } from '../../drizzle/schema/index.js';
import { generateDemoLibrary } from '../../scripts/demo-library/generate.js';
import type { DemoLibraryManifest } from '../../scripts/demo-library/manifest.js';
import { startOverpassStandIn } from '../../scripts/stand-ins/overpass-stand-in.js';
import { startSetlistFmStandIn } from '../../scripts/stand-ins/setlistfm-stand-in.js';
import { launchChromium, screenshotPath } from '../support/browser.js';
import type { Child } from '../support/child-process.js';
import { ownDatabase } from '../support/own-database.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

const API_KEY = 'test-setlistfm-key';
const PASSWORD = 'correct horse battery';

describe('the concert history in Chromium', () => {
  let app: RunningApp;
  let worker: Child;
  let browser: Browser;
  let manifest: DemoLibraryManifest;
  let closeStandIns: () => Promise<void>;
  let dropDatabase: () => Promise<void>;
  let email: string;
  let userId: number;
  let api: ReturnType<typeof trpcHttpClient>['client'];

  beforeAll(async () => {
    // As tests/support/matching-world.ts, with the client served through Vite: three shows in three years.
    const libraryRoot = await mkdtemp(join(tmpdir(), 'ch-concerts-e2e-'));
    const folder = join(libraryRoot, 'demo');
    manifest = await generateDemoLibrary(folder, { concerts: 3, photosPerConcert: 4 });
    const setlistfm = await startSetlistFmStandIn({ manifest, apiKey: API_KEY });
    const overpass = await startOverpassStandIn();
    closeStandIns = async () => {
      await Promise.all([setlistfm.close(), overpass.close()]);
    };
    const database = await ownDatabase('concerts_e2e');
    dropDatabase = database.drop;
    const env = testEnv({
      DATABASE_URL: database.url,
      LOCAL_IMPORT_ROOTS: libraryRoot,
      DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')),
      SETLISTFM_API_URL: setlistfm.url,
      SETLISTFM_API_KEY: API_KEY,
      OVERPASS_URL: overpass.url,
      CLIENT_MODE: 'vite',
      VITE_HMR_PORT: String(35_000 + (process.pid % 5_000)),
    });
    worker = await startWorkerProcess(env);
    app = await startTestApp(env);
    browser = await launchChromium();

    const { client } = trpcHttpClient(app.url);
    api = client;
    email = uniqueEmail('e2e-concerts');
    const user = await client.auth.signup.mutate({ email, password: PASSWORD, name: 'Robyn' });
    userId = user.id;
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: folder });
    const { scanId } = await client.scans.start.mutate({ sourceId });
    const snapshots = await watchScan(client, scanId, 180_000);
    expect(snapshots.at(-1)!.status).toBe('completed');
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (worker) await stop(worker);
    await app?.close();
    await closeStandIns?.();
    await dropDatabase?.();
  });

  async function logIn(page: Page) {
    await page.goto(app.url);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('user-name').waitFor();
  }

  /** Every image on screen has loaded (those further down wait for lazy loading). */
  const imagesLoaded = (page: Page, selector: string) =>
    page.locator(selector).evaluateAll((imgs) => {
      const onScreen = imgs.filter((img) => img.getBoundingClientRect().top < window.innerHeight);
      return onScreen.length > 0 && onScreen.every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0);
    });

  const yearHeadings = (page: Page) => page.getByTestId('timeline-year').locator('h2').allTextContents();
  const cardTitles = (page: Page) => page.getByTestId('concert-card').locator('h3').allTextContents();

  it('browses the timeline by year, filters and searches it, opens a concert, stars a photo and edits the notes', async () => {
    const [paradiso, brixton, fillmore] = manifest.concerts;
    // A zone west of every venue: a date taken for an instant would show the day before.
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      reducedMotion: 'reduce',
      locale: 'en-US',
      timezoneId: 'America/Los_Angeles',
    });
    await logIn(page);

    // The timeline: newest first, under year headings.
    await expect.poll(() => page.getByTestId('concert-card').count(), { timeout: 30_000 }).toBe(3);
    expect((await yearHeadings(page)).map((text) => text.slice(0, 4))).toEqual(['2015', '2014', '2012']);
    expect(await cardTitles(page)).toEqual([fillmore!.artist, brixton!.artist, paradiso!.artist]);
    const brixtonCard = page.getByTestId('concert-card').filter({ hasText: brixton!.artist });
    expect(await brixtonCard.textContent()).toContain(brixton!.venue.name);
    expect(await brixtonCard.textContent()).toContain(`${brixton!.venue.city}, United Kingdom`);
    expect(await brixtonCard.locator('time').textContent()).toBe('Fri, Mar 21, 2014');
    await expect.poll(() => imagesLoaded(page, '[data-testid="concert-card"] img'), { timeout: 30_000 }).toBe(true);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshotPath('timeline-desktop'), fullPage: true });

    // Filter by year: the address keeps it.
    await page.getByLabel('Year').selectOption('2014');
    await expect.poll(() => cardTitles(page), { timeout: 30_000 }).toEqual([brixton!.artist]);
    expect(page.url()).toContain('year=2014');
    await page.getByLabel('Year').selectOption('');
    await expect.poll(() => page.getByTestId('concert-card').count(), { timeout: 30_000 }).toBe(3);

    // Search by venue, by city, and for nothing.
    await page.getByLabel('Search').fill(fillmore!.venue.name);
    await expect.poll(() => cardTitles(page), { timeout: 30_000 }).toEqual([fillmore!.artist]);
    expect(await page.getByTestId('timeline-summary').textContent()).toContain(`matching “${fillmore!.venue.name}”`);
    await page.getByLabel('Search').fill(paradiso!.venue.city);
    await expect.poll(() => cardTitles(page), { timeout: 30_000 }).toEqual([paradiso!.artist]);
    await page.getByLabel('Search').fill('no such band anywhere');
    await page.getByTestId('timeline-no-results').waitFor();
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await expect.poll(() => page.getByTestId('concert-card').count(), { timeout: 30_000 }).toBe(3);

    // The concert page: header, setlist with its attribution, supporting acts, venue on the map.
    await page.getByRole('link', { name: brixton!.artist }).click();
    await page.getByTestId('concert-page').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(brixton!.artist);
    expect(await page.getByTestId('concert-status').textContent()).toBe('Confirmed');
    const setlist = page.getByTestId('setlist');
    await setlist.waitFor();
    const firstSong = brixton!.setlist[0]!.songs[0]!.name;
    expect(await setlist.textContent()).toContain(firstSong);
    const attribution = page.getByRole('link', { name: /Setlist from setlist\.fm/ });
    expect(await attribution.getAttribute('href')).toMatch(/^https:\/\/www\.setlist\.fm\/setlist\//);
    for (const act of brixton!.supportingActs) expect(await page.getByTestId('supporting-acts').textContent()).toContain(act.name);
    expect(await page.getByRole('link', { name: /Show on OpenStreetMap/ }).getAttribute('href')).toMatch(
      /^https:\/\/www\.openstreetmap\.org\/\?mlat=51\.\d+&mlon=-0\.\d+#map=17\//,
    );

    // The lightbox: opened from the grid, stepped through with the keyboard, closed with Escape.
    const tiles = page.getByTestId('photo-tile');
    await expect.poll(() => tiles.count(), { timeout: 30_000 }).toBeGreaterThan(2);
    await expect.poll(() => imagesLoaded(page, '[data-testid="photo-tile"] img'), { timeout: 30_000 }).toBe(true);
    await tiles.first().locator('.photo-tile__open').click();
    const lightbox = page.getByTestId('lightbox');
    await lightbox.waitFor();
    const title = lightbox.getByRole('heading', { level: 2 });
    expect(await title.textContent()).toMatch(/^Photo 1 of \d+$/);
    // Focus starts on Close and Tab stays inside the dialog.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('✕Close');
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="lightbox"]'))).toBe(true);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => title.textContent(), { timeout: 30_000 }).toMatch(/^Photo 2 of /);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => title.textContent(), { timeout: 30_000 }).toMatch(/^Photo 3 of /);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => title.textContent(), { timeout: 30_000 }).toMatch(/^Photo 2 of /);
    const photoId = Number(await lightbox.getAttribute('data-photo-id'));
    // Taken in London during the show: shown as the clocks there read, not Los Angeles time.
    expect(await lightbox.locator('time').textContent()).toMatch(/Mar 2[12], 2014/);
    await page.keyboard.press('Escape');
    await expect.poll(() => lightbox.count(), { timeout: 30_000 }).toBe(0);
    // Focus is back on the photo last shown.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('[data-photo-id]')?.getAttribute('data-photo-id')), { timeout: 30_000 })
      .toBe(String(photoId));

    // Starring: the button turns at once, then the worker's 400/800/1200 px variants reach the srcset.
    await page.keyboard.press('Enter');
    await lightbox.waitFor();
    // Its label follows its state: "Star", then "Starred".
    const starButton = lightbox.getByRole('button', { name: /^Star(red)?$/ });
    expect(await starButton.getAttribute('aria-pressed')).toBe('false');
    await starButton.click();
    await expect.poll(() => starButton.getAttribute('aria-pressed'), { timeout: 30_000 }).toBe('true');
    expect(await starButton.textContent()).toBe('Starred');
    const lightboxImage = lightbox.locator('img');
    await expect.poll(() => lightboxImage.getAttribute('srcset'), { timeout: 30_000 }).toMatch(/\/variants\/[^ ]*\.webp\?[^ ]* \d+w/);
    // Each rendition with its width, from 400 px up: the browser picks the one the screen needs.
    expect(await lightboxImage.getAttribute('srcset')).toMatch(/^[^ ]+\/400\.webp\?[^ ]* 400w, [^ ]+\/800\.webp\?[^ ]* \d+w/);
    await expect
      .poll(() => lightboxImage.evaluate((img) => (img as HTMLImageElement).currentSrc), { timeout: 30_000 })
      // A variant, or the ~2048 px preview every photo has when the screen is wider than the largest variant.
      .toMatch(/\/(variants|previews)\/.*\.webp/);
    // And it loads: larger than the 400 px thumbnail it replaces.
    await expect
      .poll(() => lightboxImage.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth), { timeout: 30_000 })
      .toBeGreaterThan(400);
    const [starred] = await app.database.db
      .select()
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.id, photoId)));
    expect(starred?.starred).toBe(true);
    expect(starred?.variantsKey).toBeTruthy();
    await page.keyboard.press('Escape');
    const tile = page.locator(`[data-testid="photo-tile"][data-photo-id="${photoId}"]`);
    expect(await tile.getAttribute('data-starred')).toBe('true');
    expect(await tile.locator('img').getAttribute('srcset')).toContain('/variants/');

    // Editing the notes.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit concert' });
    await dialog.waitFor();
    // The artist field suggests known artists; Escape closes the suggestions, not the dialog.
    const artistBox = dialog.getByRole('combobox', { name: 'Artist' });
    await artistBox.fill('Hollow');
    const suggestion = dialog.getByRole('option', { name: paradiso!.artist });
    await suggestion.waitFor();
    await artistBox.press('ArrowDown');
    expect(await suggestion.getAttribute('aria-selected')).toBe('true');
    await artistBox.press('Escape');
    await expect.poll(() => suggestion.count(), { timeout: 30_000 }).toBe(0);
    expect(await dialog.isVisible()).toBe(true);
    await artistBox.fill(brixton!.artist);
    await dialog.getByLabel('Notes').fill('Front row with Sam.\nLost my voice in the encore.');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('notes').textContent(), { timeout: 30_000 }).toContain('Front row with Sam.');
    const concertId = Number(await page.getByTestId('concert-page').getAttribute('data-concert-id'));
    const [row] = await app.database.db
      .select()
      .from(concerts)
      .where(and(eq(concerts.userId, userId), eq(concerts.id, concertId)));
    expect(row?.notes).toBe('Front row with Sam.\nLost my voice in the encore.');
    // Notes alone leave the setlist where it was.
    expect(row?.setlist?.length).toBeGreaterThan(0);
    await setlist.waitFor();

    await expect.poll(() => imagesLoaded(page, '[data-testid="photo-tile"] img'), { timeout: 30_000 }).toBe(true);
    await page.screenshot({ path: screenshotPath('concert-desktop'), fullPage: true });
    await page.close();
  });

  it('shows the timeline and a concert on a phone-sized screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, reducedMotion: 'reduce', locale: 'en-US' });
    await logIn(page);
    await expect.poll(() => page.getByTestId('concert-card').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => imagesLoaded(page, '[data-testid="concert-card"] img'), { timeout: 30_000 }).toBe(true);
    // No hover highlight left over from the log-in click.
    await page.mouse.move(0, 0);
    await page.screenshot({ path: screenshotPath('timeline-phone') });

    await page.getByRole('link', { name: manifest.concerts[0]!.artist }).click();
    await page.getByTestId('setlist').waitFor();
    await expect.poll(() => imagesLoaded(page, '[data-testid="photo-tile"] img'), { timeout: 30_000 }).toBe(true);
    // Nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('concert-phone') });

    // The lightbox fits the photo on the screen.
    await page.getByTestId('photo-tile').first().locator('.photo-tile__open').click();
    const image = page.getByTestId('lightbox').locator('img');
    await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).complete), { timeout: 30_000 }).toBe(true);
    const box = await image.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(box!.y + box!.height).toBeLessThanOrEqual(844);
    await page.close();
  });

  it('merges a concert into another, with the direction chosen, and deletes one, leaving its photos alone', async () => {
    const paradiso = manifest.concerts[0]!;
    const [real] = await app.database.db
      .select({ id: concerts.id })
      .from(concerts)
      .where(and(eq(concerts.userId, userId), eq(concerts.concertDate, paradiso.localDate)));
    const { id: stray } = await api.concerts.create.mutate({
      date: paradiso.localDate,
      artist: { artistName: paradiso.artist },
      notes: 'Added twice',
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', locale: 'en-US' });
    await logIn(page);

    // Merge the stray one into the scanned one: the page moves to the concert that stays.
    await page.goto(`${app.url}/#/concerts/${stray}`);
    await page.getByTestId('concert-page').waitFor();
    await page.getByRole('button', { name: 'Merge…' }).click();
    const merge = page.getByRole('dialog', { name: 'Merge with another concert' });
    await merge.getByLabel('Find the other concert').fill(paradiso.venue.name);
    await merge.getByRole('radio', { name: `${paradiso.artist} at ${paradiso.venue.name}, Nov 9, 2012` }).check();
    await merge.getByRole('radio', { name: /The other one/ }).check();
    expect(await merge.getByTestId('merge-summary').textContent()).toBe(
      `“${paradiso.artist}, Nov 9, 2012” will be merged into “${paradiso.artist} at ${paradiso.venue.name}, Nov 9, 2012”, then removed.`,
    );
    await merge.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(new RegExp(`#/concerts/${real!.id}$`));
    await expect.poll(() => page.getByTestId('notes').textContent(), { timeout: 30_000 }).toContain('Added twice');
    const left = await app.database.db.select({ id: concerts.id }).from(concerts).where(eq(concerts.userId, userId));
    expect(left.map((row) => row.id)).not.toContain(stray);

    // Delete: the photos stay, unmatched; the user is back on the timeline, and the old address says "not found".
    const photoRows = await app.database.db
      .select({ id: photos.id })
      .from(photos)
      .where(and(eq(photos.userId, userId), eq(photos.concertId, real!.id)));
    await page.getByRole('button', { name: 'Delete…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this concert?' });
    expect(await confirm.textContent()).toMatch(/will not be deleted: they become unmatched photos/);
    await confirm.getByRole('button', { name: 'Delete concert' }).click();
    await expect.poll(() => page.getByTestId('concert-card').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your concerts');
    const orphans = await app.database.db
      .select({ concertId: photos.concertId })
      .from(photos)
      .where(
        and(
          eq(photos.userId, userId),
          inArray(
            photos.id,
            photoRows.map((row) => row.id),
          ),
        ),
      );
    expect(orphans).toHaveLength(photoRows.length);
    expect(orphans.every((row) => row.concertId === null)).toBe(true);
    await page.goto(`${app.url}/#/concerts/${real!.id}`);
    await page.getByTestId('concert-not-found').waitFor();
    await page.close();
  });

  it('greets a user without concerts, then loads a long history a page at a time as it scrolls', async () => {
    const { client } = trpcHttpClient(app.url);
    const newcomer = uniqueEmail('e2e-newcomer');
    const user = await client.auth.signup.mutate({ email: newcomer, password: PASSWORD, name: 'Kim' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', locale: 'en-US' });
    await page.goto(app.url);
    await page.getByLabel('Email').fill(newcomer);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Your history starts here' }).waitFor();
    expect(await page.getByRole('link', { name: 'Connect a photo library' }).getAttribute('href')).toBe('#/library');

    // 45 shows, one a month: two pages of 20 and a last one of 5.
    const dates = Array.from({ length: 45 }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-15`);
    await app.database.db.insert(concerts).values(
      dates.map((concertDate, i) => ({
        userId: user.id,
        concertDate,
        city: 'Utrecht',
        countryCode: 'NL',
        status: i % 10 === 0 ? ('needs_review' as const) : ('confirmed' as const),
      })),
    );
    // Written behind the services' back: tell the view cache, as every service write does.
    await app.services.viewCache.bumpUser(user.id);
    await page.reload();
    const cards = page.getByTestId('concert-card');
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBe(20);
    expect(await cards.first().locator('time').textContent()).toBe('Mon, Sep 15, 2003');
    // Scrolling near the end loads the next page by itself.
    await cards.last().scrollIntoViewIfNeeded();
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBe(40);
    // The button does the same without scrolling. Clicked where it stands: a pointer click scrolls it into view
    // first, which can set off the scroll loading before the click lands (the button is then gone).
    await page.getByRole('button', { name: 'Load more concerts' }).dispatchEvent('click');
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBe(45);
    await page.getByText("That's all of them.").waitFor();
    expect((await yearHeadings(page)).map((text) => text.slice(0, 4))).toEqual(['2003', '2002', '2001', '2000']);
    // A show nobody identified says so, and leads to the review inbox.
    const unknown = cards.filter({ hasText: 'Unknown artist — needs review' }).first();
    expect(await unknown.getByRole('link', { name: 'Review in the inbox' }).getAttribute('href')).toBe('#/inbox');
    await page.close();
  });
});
