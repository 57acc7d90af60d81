/**
 * The review inbox and the stats in Chromium. The fan's demo library was imported
 * while the worker could not reach setlist.fm or OpenStreetMap (an outage, or no API
 * key yet), so every show waits in the inbox; the web server reaches both stand-ins,
 * so the inbox offers each show's setlist, and one click settles it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchChromium, PHONE, screenshotPath } from '../support/browser.js';
import { FAN_PASSWORD, startMatchingWorld, type MatchingWorld } from '../support/matching-world.js';

describe('the review inbox and the stats in Chromium', () => {
  let world: MatchingWorld;
  let fan: Awaited<ReturnType<MatchingWorld['importDemoLibrary']>>;
  let browser: Browser;

  beforeAll(async () => {
    // vite.config.ts reads its HMR port from the environment of this process, where the app runs.
    const hmrPort = String(35_000 + (process.pid % 5_000));
    process.env.VITE_HMR_PORT = hmrPort;
    world = await startMatchingWorld({
      label: 'e2e_inbox',
      concerts: 3,
      outside: { web: true, worker: false },
      setlistfmFaults: { rateLimitPerSecond: 50 },
      // The real client through Vite, on an HMR port of this file's own.
      appEnv: { CLIENT_MODE: 'vite', VITE_HMR_PORT: hmrPort },
    });
    fan = await world.importDemoLibrary();
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  async function logIn(viewport: { width: number; height: number }): Promise<Page> {
    // Reduced motion: screenshots show where things end, not mid-animation.
    const page = await browser.newPage({ viewport, reducedMotion: 'reduce', ...(viewport === PHONE ? { deviceScaleFactor: 2 } : {}) });
    await page.goto(world.app.url);
    await page.getByLabel('Email').fill(fan.user.email);
    await page.getByLabel('Password').fill(FAN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('user-name').waitFor();
    return page;
  }

  it('settles a show by its setlist in one click, then shows the stats of the history', async () => {
    const shows = world.manifest.concerts;
    const { events } = await fan.client.inbox.list.query({ limit: 50 });
    expect(events).toHaveLength(shows.length);
    const show = shows[1]!;
    const event = events.find((e) => e.concertDate === show.localDate)!;

    const page = await logIn(DESKTOP);
    await page.getByRole('link', { name: 'Review', exact: true }).click();
    const items = page.getByTestId('inbox-event');
    await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(shows.length);

    const item = page.locator(`[data-testid="inbox-event"][data-concert-id="${event.id}"]`);
    // Its photos are in the strip (through the authenticated media route).
    await expect
      .poll(
        () =>
          item.locator('.inbox-strip img').evaluateAll((imgs) => imgs.length > 0 && imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0)),
        { timeout: 30_000 },
      )
      .toBe(true);
    const toggle = item.locator('.inbox-item__toggle');
    expect(await toggle.textContent()).toMatch(/^Find the concert/);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');

    const setlist = item.getByTestId('setlist-candidate').filter({ hasText: show.artist }).filter({ hasText: show.venue.name });
    await setlist.first().waitFor({ timeout: 60_000 });
    // setlist.fm's terms: its data comes with a link to its page.
    expect(
      await setlist
        .first()
        .getByRole('link', { name: /setlist\.fm/ })
        .getAttribute('href'),
    ).toMatch(/^https:\/\/www\.setlist\.fm\//);
    await page.screenshot({ path: screenshotPath('inbox-desktop'), fullPage: true });

    await setlist
      .first()
      .getByRole('button', { name: `Choose ${show.artist} at ${show.venue.name}` })
      .click();
    await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(shows.length - 1);
    expect(await item.count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('inbox-announcement').textContent(), { timeout: 30_000 })
      .toContain(`Settled as ${show.artist} at ${show.venue.name}`);
    expect(await page.getByRole('status').filter({ hasText: 'Settled as' }).count()).toBe(1);
    // Focus went on to the item now in its place, not back to the top of the page.
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-item-heading'))).toBe(true);

    // Checked in the database, not only on screen.
    const concert = await fan.client.concerts.get.query({ id: event.id });
    expect(concert).toMatchObject({ status: 'confirmed', artist: { name: show.artist }, venue: { name: show.venue.name }, tour: show.tour });

    await page.getByRole('link', { name: 'Stats', exact: true }).click();
    await expect.poll(() => page.getByTestId('stat-concerts').textContent(), { timeout: 30_000 }).toBe(String(shows.length));
    const chart = page.getByRole('img', { name: /concerts per year/i });
    await chart.waitFor();
    const years = shows.map((s) => Number(s.localDate.slice(0, 4)));
    const [first, last] = [Math.min(...years), Math.max(...years)];
    expect(await chart.getAttribute('aria-label')).toContain(`${first} to ${last}`);
    // A bar per year that had a concert; every year in between is in the chart's table, gaps as zero.
    expect(await chart.locator('rect.stats-chart__bar').count()).toBe(new Set(years).size);
    expect(await page.locator('table caption', { hasText: 'Concerts per year' }).locator('xpath=..').locator('tbody tr').count()).toBe(
      last - first + 1,
    );
    const photos = (await fan.client.stats.summary.query()).totalPhotos;
    expect(photos).toBeGreaterThan(0);
    expect(await page.getByTestId('stat-photos').textContent()).toBe(String(photos));
    const earliest = [...shows].sort((a, b) => a.localDate.localeCompare(b.localDate))[0]!;
    const firstEvent = events.find((e) => e.concertDate === earliest.localDate)!;
    expect(await page.getByTestId('first-concert').getAttribute('href')).toBe(`#/concerts/${firstEvent.id}`);
    await expect.poll(() => page.getByRole('region', { name: 'Top artists' }).textContent(), { timeout: 30_000 }).toContain(show.artist);
    // The settled show's setlist is the only one stored: its live songs, heard once each.
    const liveSongs = show.setlist.flatMap((set) => set.songs).filter((song) => !song.tape && song.name);
    const songs = page.getByRole('region', { name: 'Songs heard live most often' }).locator('.stats-song');
    await expect.poll(() => songs.count(), { timeout: 30_000 }).toBe(Math.min(20, new Set(liveSongs.map((song) => song.name.toLowerCase())).size));
    for (const text of await songs.allTextContents()) {
      expect(
        liveSongs.some((song) => text.includes(song.name)),
        text,
      ).toBe(true);
      expect(text).toContain(show.artist);
    }
    await page.screenshot({ path: screenshotPath('stats-desktop'), fullPage: true });
    await page.close();
  });

  it('picks some unmatched photos with the keyboard, makes a concert of them and adds the rest to another', async () => {
    const show = world.manifest.concerts[0]!;
    const event = (await fan.client.inbox.list.query({ limit: 50 })).events.find((e) => e.concertDate === show.localDate)!;
    const taken = (await fan.client.photos.list.query({ concertId: event.id, limit: 200 })).items.map((photo) => photo.id);
    await fan.client.photos.move.mutate({ photoIds: taken.slice(0, 3), concertId: null });

    const page = await logIn(DESKTOP);
    await page.goto(`${world.app.url}/#/inbox`);
    const group = page.getByTestId('inbox-photos');
    await expect.poll(() => group.count(), { timeout: 30_000 }).toBe(1);
    expect(await group.textContent()).toContain('3 photos');
    await group.locator('.inbox-item__toggle').click();

    const checks = group.locator('.inbox-pick__check');
    await expect.poll(() => checks.count(), { timeout: 30_000 }).toBe(3);
    await checks.nth(0).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect.poll(() => group.locator('.inbox-actions__count').textContent(), { timeout: 30_000 }).toBe('2 photos selected');

    await group.getByRole('button', { name: 'Create a concert…' }).click();
    const form = group.getByRole('form', { name: 'Create a concert from the selected photos' });
    // The evening's date is filled in; the artist too once setlist.fm's setlists of that evening are in.
    expect(await form.getByLabel('Date').inputValue()).toBe(show.localDate);
    await expect.poll(() => form.getByLabel('Artist').inputValue(), { timeout: 30_000 }).not.toBe('');
    await form.getByLabel('Artist').fill(show.artist);
    await form.getByRole('button', { name: 'Create the concert with 2 photos' }).click();
    await expect.poll(() => page.getByTestId('inbox-announcement').textContent(), { timeout: 30_000 }).toContain(`Created ${show.artist}`);
    await expect.poll(async () => (await group.textContent()) ?? '', { timeout: 30_000 }).toContain('1 photo');

    const created = (await fan.client.concerts.list.query({ q: show.artist })).items.find((c) => c.id !== event.id)!;
    expect(created).toMatchObject({ concertDate: show.localDate, status: 'confirmed', photoCount: 2, artist: { name: show.artist } });

    // The last photo goes back where it came from, chosen among the concerts of that evening.
    await group.getByRole('checkbox', { name: /^Select all/ }).check();
    await group.getByRole('button', { name: 'Add to a concert…' }).click();
    const move = group.getByRole('form', { name: 'Add the selected photos to a concert' });
    await expect.poll(() => move.locator(`option[value="${event.id}"]`).count(), { timeout: 30_000 }).toBe(1);
    await move.getByLabel('Concert', { exact: true }).selectOption(String(event.id));
    await move.getByRole('button', { name: 'Add 1 photo' }).click();
    await expect.poll(() => group.count(), { timeout: 30_000 }).toBe(0);
    expect((await fan.client.concerts.get.query({ id: event.id })).photoCount).toBe(taken.length - 2);
    expect((await fan.client.inbox.list.query({ limit: 50 })).unmatched.total).toBe(0);
    await page.close();
  });

  it('shows the inbox and the stats on a phone-sized screen', async () => {
    const page = await logIn(PHONE);
    await page.goto(`${world.app.url}/#/inbox`);
    await page.getByTestId('inbox-event').first().waitFor();
    await page
      .getByTestId('inbox-event')
      .first()
      .getByRole('button', { name: /^Find the concert/ })
      .click();
    await page.getByTestId('inbox-event').first().getByTestId('setlist-candidate').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('inbox-phone') });

    await page.goto(`${world.app.url}/#/stats`);
    await page.getByRole('img', { name: /concerts per year/i }).waitFor();
    // Nothing wider than the screen but the chart's own scroller.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: screenshotPath('stats-phone') });
    await page.close();
  });
});
