import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { users } from '../../drizzle/schema/index.js';
import { STARTUP_TIMEOUT_MS, stopAtEnd } from './child-process.js';
import { freePort } from './free-port.js';
import { startTestApp, type RunningApp } from './test-app.js';
import { testEnv, uniqueEmail } from './test-env.js';

/**
 * Waits of a page (`locator.waitFor`, clicks, `page.waitFor…`) on a loaded 2-core machine running two test
 * suites at once: Playwright's own 30 s default was met there. They bound a failure, never a pass.
 */
export const PAGE_TIMEOUT_MS = 60_000;

/** The same bound for a test's own waits (`locator.waitFor(WAIT)`, `expect.poll(…, WAIT)`). */
export const WAIT = { timeout: PAGE_TIMEOUT_MS };

/** The two widths every page is checked at. */
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * Debian's Chromium, never a downloaded browser; the flags keep it off the (closed) network. Every page of every
 * context gets PAGE_TIMEOUT_MS, and the browser is closed when the test file ends if the test did not close it.
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: STARTUP_TIMEOUT_MS,
  });
  // Playwright itself kills the browsers it launched when this process exits.
  const forget = stopAtEnd({ name: 'chromium', stop: () => browser.close(), kill: () => {} });
  browser.on('disconnected', forget);
  // browser.newPage() makes its context through this method too.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    context.setDefaultTimeout(PAGE_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(PAGE_TIMEOUT_MS);
    return context;
  };
  return browser;
}

/**
 * Where a browser test saves a screenshot: a git-ignored folder on every run, or
 * docs/screenshots (the README's) when `npm run screenshots` asks for a refresh.
 */
export function screenshotPath(name: string): string {
  return `${process.env.SCREENSHOTS_DIR ?? 'tests/.artifacts/screenshots'}/${name}.png`;
}

/** The password browser tests sign their users up with. */
export const BROWSER_PASSWORD = 'a long enough password';

/**
 * The app as a browser test needs it: the client served by Vite (its hot-reload socket on
 * a port of its own, so files running side by side never meet) and a data folder of its own.
 */
export async function startBrowserApp(env: Record<string, string> = {}): Promise<RunningApp> {
  return startTestApp(
    testEnv({ CLIENT_MODE: 'vite', VITE_HMR_PORT: String(await freePort()), DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')), ...env }),
  );
}

/** The app and Chromium of a browser test's describe block. */
export interface BrowserApp {
  app: RunningApp;
  browser: Browser;
}

/**
 * Starts the app (with `env`, or what `env()` gives once called) and Chromium before the block's tests and stops
 * both after them, whatever happened; the returned object holds them once started.
 */
export function useBrowserApp(env: Record<string, string> | (() => Promise<Record<string, string>>) = {}): BrowserApp {
  const running = {} as BrowserApp;
  beforeAll(async () => {
    running.app = await startBrowserApp(typeof env === 'function' ? await env() : env);
    running.browser = await launchChromium();
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.app?.close();
  });
  return running;
}

/** A new user signed up through the sign-up form, as a person does; their id and email. */
export async function signUpInBrowser(page: Page, app: RunningApp, name: string, label = 'e2e'): Promise<{ userId: number; email: string }> {
  const email = uniqueEmail(label);
  await page.goto(app.url);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(BROWSER_PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByTestId('user-name').waitFor();
  const [user] = await app.database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!user) throw new Error(`the sign-up of ${email} left no user`);
  return { userId: user.id, email };
}
