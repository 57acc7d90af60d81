import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotPath } from '../support/browser.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { uniqueEmail } from '../support/test-env.js';

describe('in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    // The real client through Vite, as `npm start` serves it; its own HMR port so a dev server may run beside it.
    app = await startTestApp({ CLIENT_MODE: 'vite', VITE_HMR_PORT: String(25_000 + (process.pid % 5_000)) });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a new user signs up, lands in the app, logs out and logs back in', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const email = uniqueEmail('browser');
    const password = 'a long enough password';
    await page.goto(app.url);

    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Name').fill('Joni');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.getByText('Password must be at least 10 characters').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByTestId('user-name').waitFor();
    expect(await page.getByTestId('user-name').textContent()).toBe('Joni');
    await page.screenshot({ path: screenshotPath('shell-desktop') });

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('the wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Wrong email or password').waitFor();

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('user-name').waitFor();

    // The session survives a reload: it lives in Redis, not in the page.
    await page.reload();
    await page.getByTestId('user-name').waitFor();
    await page.close();
  });

  it('shows the log-in page on a phone-sized screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await page.screenshot({ path: screenshotPath('login-phone') });
    await page.close();
  });
});
