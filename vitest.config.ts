import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{server,worker,shared,client,tests,scripts}/**/*.test.{ts,tsx}'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Integration files start child processes; two cores do not gain from more.
    maxWorkers: 2,
  },
});
