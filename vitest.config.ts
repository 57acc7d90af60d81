import { defineConfig } from 'vitest/config';

/**
 * Three tiers, each a vitest project (README "Testing"):
 * - unit: `*.test.ts` beside the code, plus tests/unit/; no MariaDB, no Redis (tests/support/unit-tier.ts
 *   refuses any connection to them), no global setup; seconds.
 * - integration: tests/** against the real MariaDB, Redis, BullMQ and child processes.
 * - e2e: tests/e2e/ in Debian's Chromium.
 * `vitest run` (npm test) runs all three; `--project <name>` one.
 *
 * Waits are sized for a loaded 2-core machine running two suites at once: they bound how long a failure
 * takes to show, never how fast a pass must be.
 */
const SERVICE_TIERS = {
  globalSetup: ['tests/support/global-setup.ts'],
  setupFiles: ['tests/support/tier-setup.ts'],
  // Start-up of web servers, workers and Chromium in beforeAll, under load.
  hookTimeout: 240_000,
};

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 120_000,
    // No expect.poll may keep vitest's 1 s default (npm run lint refuses one without a timeout:
    // scripts/lint/expect-poll-timeout.grit); should one slip through, this is its default.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    pool: 'forks',
    // Integration files start child processes; two cores do not gain from more.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{server,worker,shared,client,scripts,bench}/**/*.test.{ts,tsx}', 'tests/unit/**/*.test.ts'],
          setupFiles: ['tests/support/unit-tier.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/unit/**', 'tests/e2e/**'],
          ...SERVICE_TIERS,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          ...SERVICE_TIERS,
        },
      },
    ],
  },
});
