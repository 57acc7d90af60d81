import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, never a downloaded browser; the flags keep it off the (closed) network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Where a browser test saves a screenshot: a git-ignored folder on every run, or
 * docs/screenshots (the README's) when `npm run screenshots` asks for a refresh.
 */
export function screenshotPath(name: string): string {
  return `${process.env.SCREENSHOTS_DIR ?? 'tests/.artifacts/screenshots'}/${name}.png`;
}
