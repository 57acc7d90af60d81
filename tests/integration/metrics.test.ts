import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Child } from '../support/child-process.js';
import { writeTestLibrary } from '../support/photo-library.js';
import { watchScan } from '../support/scan-helpers.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';

let app: RunningApp;
let worker: Child;
let workerMetricsPort: number;
let library: Awaited<ReturnType<typeof writeTestLibrary>>;

beforeAll(async () => {
  library = await writeTestLibrary();
  workerMetricsPort = await freePort();
  const env = { LOCAL_IMPORT_ROOTS: library.root, DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')) };
  app = await startTestApp(env);
  worker = await startWorkerProcess(testEnv({ ...env, WORKER_METRICS_PORT: String(workerMetricsPort) }));
});
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
});

describe('metrics', () => {
  it('web: request latency per route and procedure, queue depths per state, the pool and process figures', async () => {
    const { client } = trpcHttpClient(app.url);
    await client.auth.signup.mutate({ email: uniqueEmail('metrics'), password: 'correct horse battery', name: 'Ops' });
    await client.sources.list.query();
    await client.concerts.list.query({});
    await client.concerts.list.query({});
    await fetch(`${app.url}/api/health`);

    const response = await fetch(`${app.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="[\d.]+",method="POST",route="\/trpc",status="2xx"\}/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/health",status="2xx"\} [1-9]/);
    expect(text).toMatch(/trpc_procedure_duration_seconds_count\{procedure="auth\.signup",status="2xx"\} 1/);
    expect(text).toMatch(/trpc_procedure_duration_seconds_count\{procedure="sources\.list",status="2xx"\} 1/);
    for (const queue of ['scan', 'photo', 'venue', 'match', 'image']) {
      expect(text).toMatch(new RegExp(`bullmq_queue_jobs\\{queue="${queue}",state="waiting"\\} \\d+`));
    }
    expect(text).toMatch(/db_pool_connections\{state="max"\} 10/);
    expect(text).toMatch(/db_pool_connections\{state="used"\} \d+/);
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    // The second read of the same list came from the cache.
    expect(text).toMatch(/cache_requests_total\{cache="[^"]+",result="hit"\} [1-9]/);
  });

  it('worker: job durations and outcomes per queue and job, on its own port', async () => {
    const { client } = trpcHttpClient(app.url);
    await client.auth.signup.mutate({ email: uniqueEmail('metrics-worker'), password: 'correct horse battery', name: 'Ops' });
    const { id: sourceId } = await client.sources.addLocalFolder.mutate({ path: library.folder });
    const { scanId } = await client.scans.start.mutate({ sourceId });
    expect((await watchScan(client, scanId)).at(-1)!.status).toBe('completed');

    const text = await (await fetch(`http://127.0.0.1:${workerMetricsPort}/metrics`)).text();
    const count = (queue: string, job: string, outcome: string) =>
      Number(new RegExp(`bullmq_job_duration_seconds_count\\{queue="${queue}",job="${job}",outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    expect(count('photo', 'ingest-photo', 'completed')).toBe(library.expected.listed);
    expect(count('scan', 'scan-source', 'completed')).toBe(1);
    expect(count('venue', 'group-events', 'completed')).toBe(1);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
