import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { concerts, venues } from '../../drizzle/schema/index.js';
import { DESKTOP, PHONE, screenshotPath, signUpInBrowser, useBrowserApp, WAIT } from '../support/browser.js';

const tag = `m${process.pid.toString(36)}${Date.now().toString(36)}`;

describe('the venue map in Chromium', () => {
  const ui = useBrowserApp();

  /** Four concerts at three real venues and one without a venue. */
  async function giveHistory(userId: number, label: string) {
    const db = ui.app.database.db;
    const venue = async (name: string, city: string, countryCode: string, latitude: number, longitude: number) => {
      const [row] = await db.insert(venues).values({ name: `${name} ${label} ${tag}`, city, countryCode, latitude, longitude });
      return row.insertId;
    };
    const paradiso = await venue('Paradiso', 'Amsterdam', 'NL', 52.3622, 4.8838);
    const brixton = await venue('O2 Academy Brixton', 'London', 'GB', 51.4652, -0.1147);
    const fillmore = await venue('The Fillmore', 'San Francisco', 'US', 37.784, -122.433);
    const shows: Array<[string, number | null, string, string]> = [
      ['2019-06-01', paradiso, 'Amsterdam', 'NL'],
      ['2019-11-10', brixton, 'London', 'GB'],
      ['2021-03-05', paradiso, 'Amsterdam', 'NL'],
      ['2022-08-20', fillmore, 'San Francisco', 'US'],
      ['2022-09-01', null, 'Utrecht', 'NL'],
    ];
    for (const [concertDate, venueId, city, countryCode] of shows) {
      await db.insert(concerts).values({ userId, concertDate, venueId, city, countryCode, status: 'confirmed' });
    }
  }

  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`sets the home city and shows the map and the distances (${label})`, async () => {
      const page = await ui.browser.newPage({
        viewport,
        ...(label === 'phone' ? { deviceScaleFactor: 2 } : {}),
        reducedMotion: 'reduce',
        locale: 'en-US',
      });
      try {
        const userId = (await signUpInBrowser(page, ui.app, label === 'phone' ? 'Pip' : 'Ada', 'e2e-venue-map')).userId;
        await giveHistory(userId, label);

        // Without a home city the distance card says how to set one.
        await page.goto(`${ui.app.url}/#/stats`);
        await page.getByTestId('travel-no-home').waitFor(WAIT);

        await page.goto(`${ui.app.url}/#/settings`);
        const input = page.getByRole('combobox', { name: 'Home city' });
        await input.waitFor(WAIT);
        await input.pressSequentially('Amsterd');
        const option = page.getByRole('option', { name: 'Amsterdam, Netherlands' }).first();
        await option.waitFor(WAIT);
        await option.click();
        await expect.poll(() => page.getByTestId('home-city-current').textContent(), WAIT).toContain('Amsterdam, Netherlands');

        await page.goto(`${ui.app.url}/#/stats`);
        const map = page.getByRole('region', { name: "Where you've been" });
        await map.getByTestId('venue-dot').first().waitFor(WAIT);
        // A circle per venue with a position: the concert without a venue is left out, and said so.
        expect(await map.getByTestId('venue-dot').count()).toBe(3);
        expect(await map.getByTestId('map-left-out').textContent()).toBe('1 concert without a venue position is left out.');
        expect(await map.getByRole('link', { name: `Paradiso ${label} ${tag}, Amsterdam: 2 concerts` }).count()).toBe(1);

        // From Amsterdam (52.37403, 4.88969), by hand (haversine, R = 6371.0088 km): Paradiso 1.37 km,
        // Brixton 357.69 km, The Fillmore 8772.03 km; in full precision 2 × 1.3749 + 357.6918 + 8772.0336 = 9132.48 km.
        const travel = page.getByRole('region', { name: 'Distance from home' });
        await travel.getByTestId('travel-total').waitFor(WAIT);
        expect(await travel.getByTestId('travel-total').textContent()).toBe('9,132.5 km');
        const farthest = await travel.getByTestId('travel-farthest').textContent();
        expect(farthest).toContain('8,772.0 km');
        expect(farthest).toContain(`The Fillmore ${label} ${tag}, San Francisco`);
        expect(await travel.locator('tbody tr').allTextContents()).toEqual(['20192359.1 km', '202111.4 km', '202218,772.0 km']);

        if (label === 'phone') expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
        await map.scrollIntoViewIfNeeded();
        await page.screenshot({ path: screenshotPath(`stats-map-${label}`) });
      } finally {
        await page.close();
      }
    });
  }
});

describe('the venue map on the operator’s tiles in Chromium', () => {
  let tiles: Server | undefined;
  const tileRequests: string[] = [];
  // A tile server speaking OpenStreetMap's scheme: one grey 256 px PNG for every /{z}/{x}/{y}.png.
  const ui = useBrowserApp(async () => {
    const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#d8d8d0' } })
      .png()
      .toBuffer();
    const server = createServer((request, response) => {
      tileRequests.push(request.url ?? '');
      if (!/^\/tiles\/\d+\/\d+\/\d+\.png$/.test(request.url ?? '')) return response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'image/png' }).end(png);
    });
    tiles = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { MAP_TILE_URL: `http://127.0.0.1:${port}/tiles/{z}/{x}/{y}.png`, MAP_TILE_ATTRIBUTION: 'Test tiles' };
  });
  afterAll(async () => {
    await new Promise((resolve) => tiles?.close(resolve));
  });

  it('draws the venues on the tiles, zoomed to them, with the credit', async () => {
    const page = await ui.browser.newPage({ viewport: DESKTOP, reducedMotion: 'reduce', locale: 'en-US' });
    try {
      const { userId } = await signUpInBrowser(page, ui.app, 'Tess', 'e2e-venue-tiles');
      const db = ui.app.database.db;
      for (const [name, latitude, longitude] of [
        ['Paradiso', 52.3622, 4.8838],
        ['Melkweg', 52.3646, 4.8811],
      ] as const) {
        const [venue] = await db.insert(venues).values({ name: `${name} tiles ${tag}`, city: 'Amsterdam', countryCode: 'NL', latitude, longitude });
        await db.insert(concerts).values({
          userId,
          concertDate: '2019-06-01',
          venueId: venue.insertId,
          city: 'Amsterdam',
          countryCode: 'NL',
          status: 'confirmed',
        });
      }

      await page.goto(`${ui.app.url}/#/stats`);
      const map = page.getByRole('region', { name: "Where you've been" });
      await map.getByTestId('map-tiles').waitFor(WAIT);
      expect(await map.getByTestId('venue-dot').count()).toBe(2);
      // Two venues 300 m apart: the deepest zoom allowed (13), not the whole world; every tile drawn is one the server sent.
      await expect.poll(() => tileRequests.filter((url) => url.startsWith('/tiles/13/')).length, WAIT).toBeGreaterThan(0);
      const hrefs = await map
        .locator('[data-testid="map-tiles"] image')
        .evaluateAll((images) => images.map((image) => image.getAttribute('href') ?? ''));
      expect(hrefs.length).toBeGreaterThan(0);
      expect(hrefs.every((href) => /\/tiles\/13\/\d+\/\d+\.png$/.test(href))).toBe(true);
      // Paradiso is in tile 13/4207/2692 (x = floor((4.8838 + 180) / 360 × 8192), y by the Mercator formula).
      expect(hrefs.some((href) => href.endsWith('/tiles/13/4207/2692.png'))).toBe(true);
      expect(await map.getByText('Map tiles: Test tiles').count()).toBe(1);
      expect(await map.locator('.venue-map__countries').count()).toBe(0);
      await map.getByRole('link', { name: `Paradiso tiles ${tag}, Amsterdam: 1 concert` }).click();
      await page.waitForURL(/#\/venues\/\d+$/, WAIT);
    } finally {
      await page.close();
    }
  });
});
