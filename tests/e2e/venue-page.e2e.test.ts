import { describe, expect, it } from 'vitest';
import { artists, concerts, venues } from '../../drizzle/schema/index.js';
import { DESKTOP, PHONE, screenshotPath, signUpInBrowser, useBrowserApp, WAIT } from '../support/browser.js';
import { signedUpClient } from '../support/trpc-http-client.js';

const tag = `p${process.pid.toString(36)}${Date.now().toString(36)}`;

describe('venue pages in Chromium', () => {
  const ui = useBrowserApp();

  /** Three shows at Paradiso (two artists), one at the Fillmore; and another user's own venue. */
  async function giveHistory(userId: number, label: string) {
    const db = ui.app.database.db;
    const venue = async (name: string, city: string, countryCode: string, latitude: number, longitude: number) => {
      const [row] = await db.insert(venues).values({ name: `${name} ${label} ${tag}`, city, countryCode, latitude, longitude });
      return row.insertId;
    };
    const artist = async (name: string) => (await db.insert(artists).values({ name: `${name} ${label} ${tag}` }))[0].insertId;
    const paradiso = await venue('Paradiso', 'Amsterdam', 'NL', 52.3622, 4.8838);
    const fillmore = await venue('The Fillmore', 'San Francisco', 'US', 37.784, -122.433);
    const band = await artist('The Band');
    const singer = await artist('The Singer');
    const shows: Array<[string, number, number, string | null]> = [
      ['2016-04-09', paradiso, band, null],
      ['2019-06-01', paradiso, singer, 'Summer Tour'],
      ['2021-03-05', paradiso, band, null],
      ['2022-08-20', fillmore, singer, null],
    ];
    const ids: number[] = [];
    for (const [concertDate, venueId, artistId, tour] of shows) {
      const [row] = await db
        .insert(concerts)
        .values({ userId, concertDate, venueId, artistId, tour, city: 'Amsterdam', countryCode: 'NL', status: 'confirmed' });
      ids.push(row.insertId);
    }
    const someoneElse = await signedUpClient(ui.app.url, 'e2e-venue-owner');
    const [hidden] = await db
      .insert(venues)
      .values({ name: `Someone's garden ${label} ${tag}`, latitude: 1, longitude: 1, source: 'user', userId: someoneElse.user.id });
    return { paradiso, band, newest: ids[2]!, hiddenVenue: hidden.insertId };
  }

  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`opens a venue from the map, lists its shows and leads to them and back (${label})`, async () => {
      const page = await ui.browser.newPage({
        viewport,
        ...(label === 'phone' ? { deviceScaleFactor: 2 } : {}),
        reducedMotion: 'reduce',
        locale: 'en-US',
      });
      try {
        const userId = (await signUpInBrowser(page, ui.app, label === 'phone' ? 'Pip' : 'Ada', 'e2e-venue-page')).userId;
        const history = await giveHistory(userId, label);
        const venueName = `Paradiso ${label} ${tag}`;

        await page.goto(`${ui.app.url}/#/stats`);
        const map = page.getByRole('region', { name: "Where you've been" });
        const circle = map.getByRole('link', { name: `${venueName}, Amsterdam: 3 concerts` });
        await circle.waitFor(WAIT);
        await circle.click();

        const venuePage = page.getByTestId('venue-page');
        await venuePage.waitFor(WAIT);
        expect(page.url()).toBe(`${ui.app.url}/#/venues/${history.paradiso}`);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(venueName);
        expect(await venuePage.locator('.venue-header__place').textContent()).toBe('Amsterdam, Netherlands');
        expect(await page.getByTestId('venue-shows').textContent()).toBe('3');
        expect(await page.getByTestId('venue-artists').textContent()).toBe('2');
        expect(await page.getByTestId('venue-first').textContent()).toBe('Apr 9, 2016');
        expect(await page.getByTestId('venue-last').textContent()).toBe('Mar 5, 2021');
        // Every show there, newest first; the Fillmore's is not among them.
        const cards = venuePage.getByTestId('concert-card');
        expect(await cards.locator('time').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('datetime')))).toEqual([
          '2021-03-05',
          '2019-06-01',
          '2016-04-09',
        ]);

        if (label === 'phone') expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
        // The pointer off the cards, so none is drawn hovered.
        await page.mouse.move(0, 0);
        await page.screenshot({ path: screenshotPath(`venue-page-${label}`) });

        // A show leads to its concert page, whose venue name leads back here.
        await cards.first().getByRole('link').first().click();
        const concertPage = page.getByTestId('concert-page');
        await concertPage.waitFor(WAIT);
        expect(await concertPage.getAttribute('data-concert-id')).toBe(String(history.newest));
        await concertPage.getByRole('link', { name: venueName }).click();
        await venuePage.waitFor(WAIT);
        expect(page.url()).toBe(`${ui.app.url}/#/venues/${history.paradiso}`);

        // Another user's own venue: the same not-found page as a venue that does not exist.
        await page.goto(`${ui.app.url}/#/venues/${history.hiddenVenue}`);
        await page.getByTestId('venue-not-found').waitFor(WAIT);
        await page.goto(`${ui.app.url}/#/venues/2000000000`);
        await page.getByTestId('venue-not-found').waitFor(WAIT);
      } finally {
        await page.close();
      }
    });
  }
});
