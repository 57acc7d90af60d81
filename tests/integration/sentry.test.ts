import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullPrefix } from '../../server/queue/bullmq-options.js';
import { startWebProcess, stop } from '../support/child-process.js';
import { testConfig, testEnv, uniqueEmail } from '../support/test-env.js';
import { startWorkerProcess } from '../support/worker-process.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';

/** A local Sentry ingest: keeps every envelope posted to /api/<project>/envelope/. */
async function startSentryStandIn() {
  const envelopes: string[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    if (req.method === 'POST' && /^\/api\/\d+\/envelope\/?/.test(req.url ?? '')) envelopes.push(body.toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://public@127.0.0.1:${port}/1`,
    envelopes,
    /** Error events only: tracing may send transactions too. */
    errorEvents: () => envelopes.filter((e) => e.split('\n').some((line) => /"type":"event"/.test(line))),
    /** Sampled traces: span envelopes whose segment is an incoming HTTP request. */
    serverSpans: () => envelopes.filter((e) => /"type":"span"/.test(e) && /"sentry.op":\{"value":"http.server"/.test(e)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// A real failure, not a test-only route: the web process points at a database that does not
// exist, so logging in fails inside the repository and tRPC answers INTERNAL_SERVER_ERROR.
function brokenDatabaseUrl(): string {
  const url = new URL(testEnv().DATABASE_URL!);
  url.pathname = '/concert_history_no_such_database';
  return url.toString();
}

async function failALogin(url: string): Promise<string> {
  const { client } = trpcHttpClient(url);
  const email = uniqueEmail('sentry');
  await expect(client.auth.login.mutate({ email, password: 'correct horse battery staple' })).rejects.toThrow();
  return email;
}

describe('Sentry error reporting', () => {
  let sentry: Awaited<ReturnType<typeof startSentryStandIn>>;
  beforeAll(async () => {
    sentry = await startSentryStandIn();
  });
  afterAll(() => sentry.close());

  it("sends a failed procedure to Sentry with its error message and request id, but none of the query's values", async () => {
    const { child, url } = await startWebProcess(
      testEnv({ DATABASE_URL: brokenDatabaseUrl(), SENTRY_DSN: sentry.dsn, SENTRY_TRACES_SAMPLE_RATE: '0', SENTRY_ENVIRONMENT: 'sentry-test' }),
    );
    let email = '';
    try {
      email = await failALogin(url);
    } finally {
      // Shutdown flushes Sentry before the process exits.
      expect(await stop(child)).toBe(0);
    }
    const events = sentry.errorEvents();
    expect(events.length).toBeGreaterThanOrEqual(1);
    const event = events.join('\n');
    expect(event).toMatch(/concert_history_no_such_database/);
    expect(event).toMatch(/"environment":"sentry-test"/);
    expect(event).toMatch(/"procedure":"auth\.login"/);
    expect(event).toMatch(/"requestId":"[0-9a-f-]{36}"/);
    // The failed query was looked up by e-mail: the statement may travel, its values never.
    expect(event).not.toContain(email);
    // Nor does the request's body, its password included.
    expect(event).not.toContain('correct horse battery staple');
  });

  it('sends nothing when SENTRY_DSN is unset', async () => {
    const before = sentry.envelopes.length;
    const { child, url } = await startWebProcess(testEnv({ DATABASE_URL: brokenDatabaseUrl(), SENTRY_DSN: '' }));
    try {
      await failALogin(url);
    } finally {
      expect(await stop(child)).toBe(0);
    }
    expect(sentry.envelopes.length).toBe(before);
  });

  it('samples traces of incoming requests at SENTRY_TRACES_SAMPLE_RATE (1: every request, 0: none)', async () => {
    const traced = (path: string) => sentry.serverSpans().filter((e) => e.includes(`"url.path":{"value":"${path}"`));
    for (const [rate, expected] of [
      ['1', 1],
      ['0', 0],
    ] as const) {
      const path = '/api/health';
      const before = traced(path).length;
      const { child, url } = await startWebProcess(testEnv({ SENTRY_DSN: sentry.dsn, SENTRY_TRACES_SAMPLE_RATE: rate }));
      try {
        expect((await fetch(`${url}${path}`)).status).toBe(200);
      } finally {
        expect(await stop(child)).toBe(0);
      }
      expect(traced(path).length - before, `rate ${rate}`).toBe(expected);
    }
  });

  it('sends a job that failed for good in a worker, with its queue, job name and request id', async () => {
    const env = testEnv({ SENTRY_DSN: sentry.dsn, SENTRY_TRACES_SAMPLE_RATE: '0', WORKER_QUEUES: 'scan' });
    const config = testConfig(env);
    const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('scan', { connection: redis, prefix: bullPrefix(config) });
    const worker = await startWorkerProcess(env);
    try {
      const requestId = '7d7e3c1e-5a7c-4c55-9a43-0c0ffee00001';
      // A payload the worker refuses (no sourceId): it fails at once, for good, without retries.
      const job = await queue.add('scan-source', { scanId: 1, userId: 1, requestId }, { attempts: 3 });
      while (!(await job.isFailed())) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      expect(await stop(worker)).toBe(0);
      await queue.close();
      redis.disconnect();
    }
    const event = sentry.errorEvents().find((e) => e.includes('7d7e3c1e-5a7c-4c55-9a43-0c0ffee00001'));
    expect(event, "an error event carrying the job's request id").toBeDefined();
    expect(event).toMatch(/Invalid payload for job \\"scan-source\\": sourceId/);
    expect(event).toMatch(/"queue":"scan"/);
    expect(event).toMatch(/"job":"scan-source"/);
    expect(event).toMatch(/"role":"worker"/);
  });
});
