import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebProcess, stop } from '../support/child-process.js';
import { testEnv, uniqueEmail } from '../support/test-env.js';
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

async function failALogin(url: string) {
  const { client } = trpcHttpClient(url);
  await expect(client.auth.login.mutate({ email: uniqueEmail('sentry'), password: 'correct horse battery staple' })).rejects.toThrow();
}

describe('Sentry error reporting', () => {
  let sentry: Awaited<ReturnType<typeof startSentryStandIn>>;
  beforeAll(async () => {
    sentry = await startSentryStandIn();
  });
  afterAll(() => sentry.close());

  it('sends a failed procedure to Sentry with its error message and request id when SENTRY_DSN is set', async () => {
    const { child, url } = await startWebProcess(
      testEnv({ DATABASE_URL: brokenDatabaseUrl(), SENTRY_DSN: sentry.dsn, SENTRY_TRACES_SAMPLE_RATE: '0', SENTRY_ENVIRONMENT: 'sentry-test' }),
    );
    try {
      await failALogin(url);
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
});
