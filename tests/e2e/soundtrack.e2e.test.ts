/**
 * The night's soundtrack in Chromium, at desktop and phone width: a concert's
 * setlist with search links on the chosen streaming service, its playlist
 * downloaded as XSPF and M3U and parsed, and "first heard at" on the stats.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse, validate } from 'fast-xml-parser';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artists, concerts, venues } from '../../drizzle/schema/index.js';
import { DESKTOP, PHONE, screenshotPath, signUpInBrowser, useBrowserApp, WAIT } from '../support/browser.js';

// Artists and venues are shared by every test file of the run: names carry this run's tag.
const tag = `t${process.pid.toString(36)}${Date.now().toString(36)}`;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name]!);
const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

describe('the night’s soundtrack in Chromium', () => {
  const ui = useBrowserApp();

  /** Two shows of one artist, straight into the database: "Red Right Hand" first heard at the earlier one. */
  async function giveHistory(userId: number, label: string) {
    const db = ui.app.database.db;
    const mbid = randomUUID();
    const artistName = `Nick Cave & the Bad Seeds ${label} ${tag}`;
    const [artist] = await db.insert(artists).values({ name: artistName, mbid });
    const [venue] = await db
      .insert(venues)
      .values({ name: `Paradiso ${label} ${tag}`, city: 'Amsterdam', countryCode: 'NL', latitude: 52.3622, longitude: 4.884 });
    const [earlier] = await db.insert(concerts).values({
      userId,
      concertDate: '2013-06-30',
      artistId: artist.insertId,
      venueId: venue.insertId,
      city: 'Amsterdam',
      countryCode: 'NL',
      status: 'confirmed',
      setlist: [{ songs: [{ name: 'Red Right Hand' }] }],
    });
    const [show] = await db.insert(concerts).values({
      userId,
      concertDate: '2017-10-02',
      artistId: artist.insertId,
      venueId: venue.insertId,
      city: 'Amsterdam',
      countryCode: 'NL',
      status: 'confirmed',
      setlist: [
        { songs: [{ name: 'Intro', tape: true }, { name: 'Anthrocene' }, { name: 'Red Right Hand' }, { name: 'Rock & Roll <"Live">' }] },
        { encore: 1, songs: [{ name: 'Push the Sky Away' }] },
      ],
    });
    const songs = ['Anthrocene', 'Red Right Hand', 'Rock & Roll <"Live">', 'Push the Sky Away'];
    return { artistName, mbid, concertId: show.insertId, earlierId: earlier.insertId, songs };
  }

  async function savedText(page: Page, testId: string) {
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.getByTestId(testId).click()]);
    return { name: download.suggestedFilename(), text: await readFile((await download.path())!, 'utf8') };
  }

  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`chooses a streaming service, searches the songs on it and downloads the playlists (${label})`, async () => {
      const page = await ui.browser.newPage({
        viewport,
        ...(label === 'phone' ? { deviceScaleFactor: 2 } : {}),
        reducedMotion: 'reduce',
        locale: 'en-US',
        acceptDownloads: true,
      });
      try {
        const userId = (await signUpInBrowser(page, ui.app, label === 'phone' ? 'Pip' : 'Ada', 'e2e-soundtrack')).userId;
        const world = await giveHistory(userId, label);

        await page.goto(`${ui.app.url}/#/concerts/${world.concertId}`);
        const setlist = page.getByTestId('setlist');
        await setlist.waitFor(WAIT);
        // Spotify until another is chosen.
        const service = page.getByLabel('Listen on');
        expect(await service.inputValue()).toBe('spotify');
        await service.selectOption('deezer');

        const links = setlist.getByTestId('song-search');
        await expect.poll(() => links.first().getAttribute('href'), WAIT).toMatch(/^https:\/\/www\.deezer\.com\/search\//);
        // One per live song, the tape intro without one.
        expect(await links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')))).toEqual(
          world.songs.map((song) => `https://www.deezer.com/search/${encodeURIComponent(`${world.artistName} ${song}`)}`),
        );
        expect(await links.first().getAttribute('target')).toBe('_blank');
        expect(await links.first().textContent()).toContain('Deezer');

        // The choice is this browser's: still there after a reload.
        await page.reload();
        await setlist.waitFor(WAIT);
        await expect.poll(() => page.getByLabel('Listen on').inputValue(), WAIT).toBe('deezer');
        if (label === 'phone') expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
        // On a phone the setlist is below the photos: scrolled to just under the sticky header.
        await setlist.evaluate((element) => window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY - 80));
        // The desktop's picture is the setlist card itself; the phone's, the screen as the user sees it.
        if (label === 'desktop') await setlist.screenshot({ path: screenshotPath(`concert-soundtrack-${label}`) });
        else await page.screenshot({ path: screenshotPath(`concert-soundtrack-${label}`) });

        const xspf = await savedText(page, 'playlist-xspf');
        // The browser takes the full name (filename*=UTF-8'').
        expect(xspf.name).toBe(`${world.artistName} 2017-10-02.xspf`);
        expect(validate(xspf.text)).toBe(true);
        const { playlist } = parse(xspf.text, {
          ignoreAttributes: false,
          attributeNamePrefix: '@',
          parseNodeValue: false,
          tagValueProcessor: decode,
        });
        expect(playlist['@xmlns']).toBe('http://xspf.org/ns/0/');
        expect(playlist['@version']).toBe('1');
        const tracks = list<Record<string, unknown>>(playlist.trackList.track);
        expect(tracks.map((track) => track.title)).toEqual(world.songs);
        expect(tracks.every((track) => String(track.info).startsWith('https://www.deezer.com/search/'))).toBe(true);
        expect(tracks[0]!.meta).toMatchObject({ '#text': world.mbid });

        const m3u = await savedText(page, 'playlist-m3u');
        expect(m3u.name).toBe(`${world.artistName} 2017-10-02.m3u`);
        const lines = m3u.text.split('\n');
        expect(lines.slice(0, 2)).toEqual(['#EXTM3U', `#PLAYLIST:${world.artistName} at Paradiso ${label} ${tag}, Amsterdam, 2017-10-02`]);
        expect(lines.slice(2, -1)).toEqual(
          world.songs.flatMap((song) => [
            `#EXTINF:-1,${world.artistName} - ${song}`,
            `https://www.deezer.com/search/${encodeURIComponent(`${world.artistName} ${song}`)}`,
          ]),
        );

        // The stats: each song heard, with the concert it was first heard at.
        await page.goto(`${ui.app.url}/#/stats`);
        const card = page.getByRole('region', { name: 'Songs heard live most often' });
        const redRightHand = card.locator('.stats-song', { hasText: 'Red Right Hand' });
        await redRightHand.waitFor(WAIT);
        expect(await redRightHand.textContent()).toContain('First heard at');
        const first = redRightHand.getByTestId('first-heard');
        expect(await first.getAttribute('href')).toBe(`#/concerts/${world.earlierId}`);
        expect(await first.textContent()).toContain(`Paradiso ${label} ${tag}`);
        expect(await first.locator('time').getAttribute('datetime')).toBe('2013-06-30');
        const anthrocene = card.locator('.stats-song', { hasText: 'Anthrocene' }).getByTestId('first-heard');
        expect(await anthrocene.getAttribute('href')).toBe(`#/concerts/${world.concertId}`);
        if (label === 'phone') expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
        await card.screenshot({ path: screenshotPath(`stats-first-heard-${label}`) });
      } finally {
        await page.close();
      }
    });
  }
});
