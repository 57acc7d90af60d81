/**
 * Festivals (issue 19) in Chromium, at desktop and phone width: a scan of the demo
 * festival (two days at Flevopark, scripts/demo-library) leaves its photos waiting in
 * clusters in the review inbox; each is assigned with one click to the act the manifest
 * says it was; the festival's page then shows both days with the acts seen and their
 * photos, set times entered for an act place its waiting photos, and the timeline shows
 * the festival as one card.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoFestival, DemoFestivalAct } from '../../scripts/demo-library/manifest.js';
import { minutesIntoEvening } from '../../shared/festival.schema.js';
import { DESKTOP, launchChromium, PHONE, screenshotPath, WAIT } from '../support/browser.js';
import { startDemoWorld, type DemoWorld } from '../support/demo-world.js';

const LIBRARY = { concerts: 1, photosPerConcert: 4, festival: true };

/** The act of the festival whose set holds a cluster's first photo: the right answer. */
function actOfCluster(festival: DemoFestival, evening: string, from: string): DemoFestivalAct | undefined {
  const day = festival.days.find((candidate) => candidate.localDate === evening);
  const at = minutesIntoEvening(from);
  return day?.acts.find((act) => minutesIntoEvening(act.setStart) <= at && at <= minutesIntoEvening(act.setEnd));
}

describe('festivals in Chromium (issue 19)', { timeout: 600_000 }, () => {
  let world: DemoWorld;
  let browser: Browser;
  let festival: DemoFestival;
  beforeAll(async () => {
    world = await startDemoWorld('e2e_festival', LIBRARY, { hmrPortBase: 36_000 });
    festival = world.manifest.festivals[0]!;
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`assigns the festival's photo clusters act by act, shows the festival's page and one timeline card (${label})`, async () => {
      const photographed = festival.days.flatMap((day) => day.acts.filter((act) => act.files.length > 0).map((act) => ({ day, act })));
      // One act is left for its set times to place: the last photographed one.
      const byTimes = photographed.at(-1)!;
      const fan = await world.scannedUser(`e2e-festival-${label}`);
      const page = await browser.newPage({
        viewport,
        ...(label === 'phone' ? { deviceScaleFactor: 2 } : {}),
        reducedMotion: 'reduce',
        locale: 'en-US',
      });
      try {
        await world.logIn(page, fan.email);

        // The inbox: the festival's photos wait in clusters, each offering the day's acts.
        await page.goto(`${world.app.url}/#/inbox`);
        const section = page.getByTestId('festival-clusters');
        await section.waitFor(WAIT);
        const clusters = section.getByTestId('festival-cluster');
        await expect.poll(() => clusters.count(), WAIT).toBeGreaterThan(0);
        expect(await section.getByRole('heading', { name: 'Festival photos to assign' }).count()).toBe(1);
        if (label === 'phone') expect(await noOverflow(page)).toBeLessThanOrEqual(PHONE.width);
        await section.evaluate((node) => node.scrollIntoView({ block: 'start' }));
        await page.mouse.move(0, 0);
        await page.screenshot({ path: screenshotPath(`festival-inbox-${label}`) });

        // Every cluster goes to the act whose set holds it, which the inbox offers (first, once set times or stages tell it).
        const ranks: Array<{ artist: string; rank: number; offered: Array<string | null> }> = [];
        for (let round = 0; round < 40; round++) {
          const next = await nextCluster(clusters, festival, byTimes.act);
          if (!next) break;
          const { cluster, act } = next;
          const candidates = cluster.getByTestId('festival-candidate');
          const names = await candidates.locator('.festival-candidate__act').allTextContents();
          const why = await candidates.evaluateAll((nodes) => nodes.map((node) => node.textContent));
          const rank = names.findIndex((name) => name.startsWith(act.artist));
          expect(rank, `${act.artist} offered among ${names.join(', ')}`).toBeGreaterThanOrEqual(0);
          ranks.push({ artist: act.artist, rank, offered: why });
          const before = await clusters.count();
          await candidates.nth(rank).click();
          await expect.poll(() => clusters.count(), WAIT).toBeLessThan(before);
        }
        // Every photographed act but the one left for set times was assigned.
        const assigned = ranks.map((entry) => entry.artist);
        for (const { act } of photographed.filter((entry) => entry !== byTimes)) expect(assigned).toContain(act.artist);
        expect(assigned).not.toContain(byTimes.act.artist);
        console.info(`festival e2e (${label}): candidate ranks ${JSON.stringify(ranks)}`);

        // The festival's page: two days, the acts seen with their photos.
        const festivalLink = section.getByRole('link').first();
        const festivalHref = await festivalLink.getAttribute('href');
        expect(festivalHref).toMatch(/^#\/festivals\/\d+$/);
        await festivalLink.click();
        const festivalPage = page.getByTestId('festival-page');
        await festivalPage.waitFor(WAIT);
        expect(page.url()).toBe(`${world.app.url}/${festivalHref}`);
        const days = festivalPage.getByTestId('festival-day');
        expect(await days.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-date')))).toEqual(
          festival.days.map((day) => day.localDate),
        );
        for (const { day, act } of photographed.filter((entry) => entry !== byTimes)) {
          const card = days
            .and(page.locator(`[data-date="${day.localDate}"]`))
            .getByTestId('festival-act')
            .filter({ hasText: act.artist });
          await card.waitFor(WAIT);
          expect(await card.getByRole('img').count(), `${act.artist}'s photos`).toBeGreaterThan(0);
          expect(await card.getByRole('link', { name: act.artist }).getAttribute('href')).toMatch(/^#\/concerts\/\d+$/);
        }

        // Set times entered once for the act left over: its waiting photos are placed.
        const lastDay = days.and(page.locator(`[data-date="${byTimes.day.localDate}"]`));
        const waiting = lastDay.getByTestId('festival-cluster');
        expect(await waiting.count()).toBeGreaterThan(0);
        const other = lastDay.getByTestId('festival-other-act').filter({ hasText: byTimes.act.artist });
        await other.getByText('Enter set times').click();
        const times = other.getByRole('form', { name: `Set times of ${byTimes.act.artist}` });
        await times.getByLabel('Start').fill(byTimes.act.setStart);
        await times.getByLabel('End').fill(byTimes.act.setEnd);
        await times.getByRole('button', { name: 'Save times' }).click();
        const status = lastDay.getByTestId('festival-day-status');
        await expect
          .poll(() => status.textContent(), WAIT)
          .toMatch(new RegExp(`^Set times of ${escapeRegExp(byTimes.act.artist)} saved: [1-9]\\d* photos? placed\\.$`));
        const placed = lastDay.getByTestId('festival-act').filter({ hasText: byTimes.act.artist });
        await placed.waitFor(WAIT);
        expect(await placed.getByRole('img').count()).toBeGreaterThan(0);
        expect(await placed.textContent()).toContain(`${byTimes.act.setStart}–${byTimes.act.setEnd}`);

        // setlist.fm names only the stages: the user gives the festival its own name, and adds an act it does not list.
        await festivalPage.getByRole('button', { name: 'Rename the festival' }).click();
        await festivalPage.getByLabel('Festival name').fill(festival.name);
        await festivalPage.getByRole('button', { name: 'Save name' }).click();
        await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), WAIT).toBe(festival.name);
        const addAct = festivalPage.getByRole('region', { name: 'Add an act' });
        await addAct.getByLabel('Artist').fill(`Surprise Guest ${label}`);
        await addAct.getByLabel('Day').selectOption(festival.days[0]!.localDate);
        await addAct.getByLabel('Stage (optional)').fill('Main Stage');
        await addAct.getByRole('button', { name: 'Add act' }).click();
        await days
          .and(page.locator(`[data-date="${festival.days[0]!.localDate}"]`))
          .getByTestId('festival-other-act')
          .filter({ hasText: `Surprise Guest ${label} · Main Stage` })
          .waitFor(WAIT);

        if (label === 'phone') expect(await noOverflow(page)).toBeLessThanOrEqual(PHONE.width);
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.mouse.move(0, 0);
        await page.screenshot({ path: screenshotPath(`festival-page-${label}`), fullPage: label === 'desktop' });

        // The timeline: the festival is one card, each act in it leading to its concert.
        await page.goto(`${world.app.url}/#/`);
        const card = page.getByTestId('festival-card');
        await card.waitFor(WAIT);
        expect(await card.count()).toBe(1);
        const acts = card.getByTestId('festival-card-act');
        const seen = new Set([...assigned, byTimes.act.artist]);
        expect(await acts.count()).toBe(seen.size);
        const texts = await acts.allTextContents();
        for (const artist of seen)
          expect(
            texts.some((text) => text.includes(artist)),
            artist,
          ).toBe(true);
        expect(await card.getByRole('heading').getByRole('link', { name: festival.name }).getAttribute('href')).toBe(festivalHref);
        // None of the festival's acts is a card of its own.
        for (const artist of seen) expect(await page.getByTestId('concert-card').filter({ hasText: artist }).count()).toBe(0);
        if (label === 'phone') expect(await noOverflow(page)).toBeLessThanOrEqual(PHONE.width);
        // In the middle of the screen, clear of the phone's tab bar.
        await card.evaluate((node) => node.scrollIntoView({ block: 'center' }));
        await page.mouse.move(0, 0);
        await card.screenshot({ path: screenshotPath(`timeline-festival-${label}`) });

        // An act's concert page says where it was seen, and leads back.
        await acts.first().getByRole('link').click();
        const seenAt = page.getByTestId('concert-festival');
        await seenAt.waitFor(WAIT);
        await seenAt.getByRole('link').click();
        await festivalPage.waitFor(WAIT);
        expect(page.url()).toBe(`${world.app.url}/${festivalHref}`);

        // A concert that was a festival after all: its photos go back to wait for their acts, on the new festival's page.
        const concert = page.getByTestId('concert-card').first();
        await page.goto(`${world.app.url}/#/`);
        await concert.waitFor(WAIT);
        await concert.getByRole('link').first().click();
        await page.getByTestId('concert-page').waitFor(WAIT);
        await page.getByRole('button', { name: 'This was a festival…' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Make it a festival' }).click();
        const madeFestival = page.getByTestId('festival-page');
        await madeFestival.waitFor(WAIT);
        expect(page.url()).toMatch(/#\/festivals\/\d+$/);
        expect(page.url()).not.toBe(`${world.app.url}/${festivalHref}`);
        await madeFestival.getByTestId('festival-cluster').first().waitFor(WAIT);
      } finally {
        await page.close();
      }
    });
  }
});

/** The first cluster still waiting whose act is not the one left for set times, with that act. */
async function nextCluster(clusters: Locator, festival: DemoFestival, leftOver: DemoFestivalAct) {
  const count = await clusters.count();
  for (let i = 0; i < count; i++) {
    const cluster = clusters.nth(i);
    const [evening, from] = await Promise.all([cluster.getAttribute('data-evening'), cluster.getAttribute('data-from')]);
    const act = actOfCluster(festival, evening ?? '', from ?? '');
    if (!act) throw new Error(`no act of the manifest holds the cluster of ${evening} from ${from}`);
    if (act.id !== leftOver.id) return { cluster, act };
  }
  return null;
}

const noOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
