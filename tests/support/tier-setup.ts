/**
 * Setup file of the integration and end-to-end projects: whatever a test file started and did not stop (a
 * beforeAll that failed half-way, a test that threw before its own cleanup) is stopped when the file ends,
 * after the file's own afterAll hooks, so nothing it started outlives it.
 */
import { afterAll } from 'vitest';
import { stopEverythingStarted } from './child-process.js';

afterAll(async () => {
  const stopped = await stopEverythingStarted();
  if (stopped.length) console.warn(`stopped at the end of the file, still running: ${stopped.join(', ')}`);
});
