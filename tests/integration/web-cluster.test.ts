/**
 * WEB_CONCURRENCY web processes on one port (server/web-cluster.ts): each answers, a
 * process that dies is replaced, and SIGTERM drains them all before the primary exits 0.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startWebProcess, stop } from '../support/child-process.js';
import { testEnv } from '../support/test-env.js';

/** The processes the primary started (Linux: the children listed under its main thread). */
async function childrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(/\s+/).filter(Boolean).map(Number);
}

describe('several web processes on one port', () => {
  it('answer together, replace a process that dies, and drain on SIGTERM', async () => {
    const { child, url } = await startWebProcess(testEnv({ WEB_CONCURRENCY: '2' }));
    try {
      const pid = child.process.pid!;
      await expect.poll(() => childrenOf(pid).then((pids) => pids.length), { timeout: 120_000, interval: 200 }).toBe(2);
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${url}/api/health`).then((response) => response.status)));
      expect(answers.every((status) => status === 200)).toBe(true);
      // Whichever process a scrape reaches, it reports every process's requests (the balancing spreads the 20).
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const healthRequests = metrics
        .split('\n')
        .filter((line) => line.startsWith('http_request_duration_seconds_count') && line.includes('route="/api/health"'))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
      expect(healthRequests).toBeGreaterThanOrEqual(20);
      expect(metrics.match(/^bullmq_queue_jobs\{queue="scan",state="waiting"\} /gm)).toHaveLength(1);

      const [victim] = await childrenOf(pid);
      process.kill(victim!, 'SIGKILL');
      await expect
        .poll(
          async () => {
            const now = await childrenOf(pid);
            return now.length === 2 && !now.includes(victim!);
          },
          { timeout: 120_000, interval: 200 },
        )
        .toBe(true);
      await expect.poll(() => fetch(`${url}/api/ready`).then((response) => response.status), { timeout: 120_000, interval: 500 }).toBe(200);

      const survivors = await childrenOf(pid);
      expect(await stop(child)).toBe(0);
      for (const survivor of survivors) expect(() => process.kill(survivor, 0)).toThrow();
    } finally {
      await stop(child);
    }
  });
});
