import { chromium, type Browser } from 'playwright-core';
import { STARTUP_TIMEOUT_MS, stopAtEnd } from './child-process.js';

/**
 * Waits of a page (`locator.waitFor`, clicks, `page.waitFor…`) on a loaded 2-core machine running two test
 * suites at once: Playwright's own 30 s default was met there. They bound a failure, never a pass.
 */
export const PAGE_TIMEOUT_MS = 60_000;

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
