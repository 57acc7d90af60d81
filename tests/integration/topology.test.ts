/**
 * `npm run topology` (docs/operations.md): three web servers behind real nginx,
 * running deploy/nginx/nginx.conf, and two worker pools. Requests spread over the
 * servers, one session works through all of them, a browser's mutation passes the
 * CSRF origin check behind nginx, a scan's progress streams through nginx (SSE,
 * unbuffered), and SIGTERM stops everything cleanly.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, spawnTs, stop, waitForOutput } from '../support/child-process.js';
import { writeTestLibrary } from '../support/photo-library.js';
import { watchScan } from '../support/scan-helpers.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';

let topology: Child;
let url: string;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ch-topology-'));
  // LOG_LEVEL=warn quiets the web servers; nginx's access log (with each request's upstream) still reaches stdout.
  topology = spawnTs('scripts/topology.ts', testEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), ['--port', '0']);
  [, url] = (await waitForOutput(topology, /is at (http:\/\/\S+)/, 240_000)) as [string, string];
}, 300_000);
afterAll(async () => {
  if (topology) await stop(topology);
});

/** The web servers nginx sent requests for `path` to, from its access log (`upstream=host:port`). */
function upstreamsOf(path: string): Set<string> {
  const lines = topology
    .output()
    .split('\n')
    .filter((line) => line.includes(`"GET ${path}`));
  return new Set(
    lines.map((line) => /upstream=(\S+)/.exec(line)?.[1]).filter((upstream): upstream is string => Boolean(upstream) && upstream !== '-'),
  );
}

describe('npm run topology', () => {
  it('puts nginx with the deploy configuration in front of three web servers and serves one session through all of them', async () => {
    expect(topology.output()).toMatch(/3 web servers, 2 worker pools/);
    const health = await fetch(`${url}/nginx-health`);
    expect(await health.text()).toBe('ok\n');
    expect(health.headers.get('server')).toBe('nginx');
    const { client, jar } = trpcHttpClient(url);
    const user = await client.auth.signup.mutate({ email: uniqueEmail('topology'), password: 'correct horse battery', name: 'Fan' });
    for (let i = 0; i < 9; i += 1) {
      const response = await fetch(`${url}/trpc/auth.me`, { headers: { cookie: jar.cookie! } });
      expect(response.status).toBe(200);
      expect(JSON.stringify(await response.json())).toContain(`"id":${user.id}`);
    }
    await expect.poll(() => upstreamsOf('/trpc/auth.me').size, { timeout: 30_000 }).toBe(3);
    // The deploy file's public rules hold: /metrics is for Prometheus only.
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
  });

  it("lets a browser's mutation through, with its Origin, on nginx's own port", async () => {
    const { client, jar } = trpcHttpClient(url);
    await client.auth.signup.mutate({ email: uniqueEmail('topology-origin'), password: 'correct horse battery', name: 'Fan' });
    const response = await fetch(`${url}/trpc/auth.logout`, {
      method: 'POST',
      headers: { cookie: jar.cookie!, origin: new URL(url).origin, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
  });

  it('runs a scan on its worker pools and streams the progress through nginx as it happens', async () => {
    const { client, jar } = trpcHttpClient(url);
    await client.auth.signup.mutate({ email: uniqueEmail('topology-scan'), password: 'correct horse battery', name: 'Fan' });
    const library = await writeTestLibrary(join(dataDir, 'libraries', 'topology'));
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: library.folder });
    const { scanId } = await client.scans.start.mutate({ sourceId });

    // The event stream itself: unbuffered, and its first snapshot arrives while the stream stays open.
    const aborted = new AbortController();
    const stream = await fetch(`${url}/trpc/scans.onProgress?input=${encodeURIComponent(JSON.stringify({ json: { scanId } }))}`, {
      headers: { cookie: jar.cookie!, accept: 'text/event-stream' },
      signal: aborted.signal,
    });
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    const first = await stream.body!.getReader().read();
    expect(new TextDecoder().decode(first.value)).toMatch(/data: /);
    aborted.abort();

    const snapshots = await watchScan(client, scanId);
    const last = snapshots.at(-1)!;
    expect(last.status).toBe('completed');
    expect(last.counts).toMatchObject({ listed: library.expected.listed, processed: library.expected.processed });
  });

  it('stops every process, nginx included, on SIGTERM and exits 0', async () => {
    expect(await stop(topology)).toBe(0);
    // No process died on its own: the group would have said so.
    expect(topology.output()).not.toMatch(/exited \(/);
    await expect(fetch(`${url}/nginx-health`)).rejects.toThrow();
  });
});
