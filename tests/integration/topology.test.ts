/**
 * `npm run topology` (docs/operations.md): three web servers behind the balancer
 * and two worker pools. Requests spread over the servers, one session works
 * through all of them, a scan's progress streams through the balancer, and
 * SIGTERM stops everything cleanly.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnTs, stop, waitForOutput, type Child } from '../support/child-process.js';
import { writeTestLibrary } from '../support/photo-library.js';
import { watchScan } from '../support/scan-helpers.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';

let topology: Child;
let url: string;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ch-topology-'));
  topology = spawnTs('scripts/topology.ts', testEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), ['--port', '0']);
  [, url] = (await waitForOutput(topology, /is at (http:\/\/\S+)/, 90_000)) as [string, string];
}, 120_000);
afterAll(async () => {
  if (topology) await stop(topology);
});

describe('npm run topology', () => {
  it('balances over three web servers and serves one session through all of them', async () => {
    expect(topology.output()).toMatch(/3 web servers, 2 worker pools/);
    const { client, jar } = trpcHttpClient(url);
    const user = await client.auth.signup.mutate({ email: uniqueEmail('topology'), password: 'correct horse battery', name: 'Fan' });
    const servedBy = new Set<string>();
    for (let i = 0; i < 9; i += 1) {
      const response = await fetch(`${url}/trpc/auth.me`, { headers: { cookie: jar.cookie! } });
      expect(response.status).toBe(200);
      expect(JSON.stringify(await response.json())).toContain(`"id":${user.id}`);
      servedBy.add(response.headers.get('x-served-by')!);
    }
    expect(servedBy.size).toBe(3);
  });

  it('runs a scan on its worker pools and streams the progress through the balancer', async () => {
    const { client } = trpcHttpClient(url);
    await client.auth.signup.mutate({ email: uniqueEmail('topology-scan'), password: 'correct horse battery', name: 'Fan' });
    const library = await writeTestLibrary(join(dataDir, 'libraries', 'topology'));
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: library.folder });
    const { scanId } = await client.scans.start.mutate({ sourceId });
    const last = (await watchScan(client, scanId)).at(-1)!;
    expect(last.status).toBe('completed');
    expect(last.counts).toMatchObject({ listed: library.expected.listed, processed: library.expected.processed });
  });

  it('stops every process on SIGTERM and exits 0', async () => {
    expect(await stop(topology)).toBe(0);
    // No process died on its own: the group would have said so.
    expect(topology.output()).not.toMatch(/exited \(/);
  });
});
