/**
 * What an anonymous caller can make the server spend or keep: accounts (the sign-up
 * limit per address), memory (the /trpc body limit), metric series (labels from the
 * routes and procedures we have, never from the path sent), and what error answers
 * give away (no stack traces, no internal messages).
 */
import { request } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../drizzle/schema/index.js';
import { appRouter } from '../../server/trpc/router.js';
import { PASSWORD } from '../support/security-world.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { uniqueEmail } from '../support/test-env.js';
import { CookieJar, trpcFailure, trpcHttpClient } from '../support/trpc-http-client.js';

const SIGNUPS_PER_HOUR = 5;
const MAX_BODY_KB = 1_024;

let app: RunningApp;
beforeAll(async () => {
  app = await startTestApp({
    RATE_LIMIT_API_PER_MIN: '0',
    TRUST_PROXY: 'true',
    RATE_LIMIT_SIGNUPS_PER_HOUR: String(SIGNUPS_PER_HOUR),
    TRPC_MAX_BODY_KB: String(MAX_BODY_KB),
  });
});
afterAll(() => app?.close());

const clientFrom = (ip: string, jar = new CookieJar()) => trpcHttpClient(app.url, jar, { 'x-forwarded-for': ip }).client;
const accountsWith = async (email: string) => (await app.database.db.select({ id: users.id }).from(users).where(eq(users.email, email))).length;

describe('the sign-up limit', () => {
  it(`allows ${SIGNUPS_PER_HOUR} sign-up attempts an hour from one address, counting attempts on taken emails, then refuses with the wait`, async () => {
    const taken = uniqueEmail('taken');
    await clientFrom('198.51.100.200').auth.signup.mutate({ email: taken, password: PASSWORD, name: 'Owner' });

    const address = '192.0.2.80';
    // Probing for an existing account costs an attempt like creating one.
    expect((await trpcFailure(clientFrom(address).auth.signup.mutate({ email: taken, password: PASSWORD, name: 'Probe' }))).data?.code).toBe(
      'CONFLICT',
    );
    for (let i = 1; i < SIGNUPS_PER_HOUR; i++) {
      await clientFrom(address).auth.signup.mutate({ email: uniqueEmail('many'), password: PASSWORD, name: `Account ${i}` });
    }
    const refused = uniqueEmail('one-too-many');
    const jar = new CookieJar();
    const error = await trpcFailure(clientFrom(address, jar).auth.signup.mutate({ email: refused, password: PASSWORD, name: 'Refused' }));
    expect(error.data?.code).toBe('TOO_MANY_REQUESTS');
    expect(error.data?.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.data?.retryAfterSeconds).toBeLessThanOrEqual(3600);
    expect(await accountsWith(refused)).toBe(0);
    expect(jar.cookie).toBeUndefined();

    // Another address is not affected.
    await expect(clientFrom('192.0.2.81').auth.signup.mutate({ email: refused, password: PASSWORD, name: 'Elsewhere' })).resolves.toMatchObject({
      email: refused,
    });
  });

  it('holds against parallel sign-ups from one address', async () => {
    const address = '192.0.2.82';
    const emails = Array.from({ length: 30 }, () => uniqueEmail('parallel-signup'));
    const results = await Promise.allSettled(
      emails.map((email) => clientFrom(address).auth.signup.mutate({ email, password: PASSWORD, name: 'Many' })),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(SIGNUPS_PER_HOUR);
    let created = 0;
    for (const email of emails) created += await accountsWith(email);
    expect(created).toBe(SIGNUPS_PER_HOUR);
  });

  it('counts one IPv6 /64 as one address', async () => {
    for (let i = 0; i < SIGNUPS_PER_HOUR; i++) {
      await clientFrom(`2001:db8:5:6::${i + 1}`).auth.signup.mutate({ email: uniqueEmail('v6'), password: PASSWORD, name: 'Six' });
    }
    const error = await trpcFailure(
      clientFrom('2001:db8:5:6:ffff::9').auth.signup.mutate({ email: uniqueEmail('v6'), password: PASSWORD, name: 'Six' }),
    );
    expect(error.data?.code).toBe('TOO_MANY_REQUESTS');
  });
});

describe('the /trpc body limit', () => {
  /**
   * POSTs a declared `totalBytes` body in 64 KB chunks, stopping as soon as an answer
   * arrives; resolves with the status and how much of the body was sent by then.
   */
  function postLargeBody(totalBytes: number, { declareLength }: { declareLength: boolean }) {
    return new Promise<{ status: number; sentBytes: number }>((resolve, reject) => {
      const url = new URL(`${app.url}/trpc/auth.login`);
      let sentBytes = 0;
      let answered = false;
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: app.url,
            ...(declareLength ? { 'content-length': String(totalBytes) } : { 'transfer-encoding': 'chunked' }),
          },
        },
        (res) => {
          answered = true;
          res.resume();
          resolve({ status: res.statusCode!, sentBytes });
          req.destroy();
        },
      );
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const writeMore = () => {
        while (!answered && sentBytes < totalBytes) {
          sentBytes += chunk.length;
          // Slow enough that the body could not all be there when the answer comes.
          if (!req.write(chunk)) return void req.once('drain', () => setTimeout(writeMore, 5));
        }
        if (!answered) req.end();
      };
      writeMore();
    });
  }

  it('answers a declared 5 MB body with 413 before the body is sent', async () => {
    const total = 5 * 1024 * 1024;
    const { status, sentBytes } = await postLargeBody(total, { declareLength: true });
    expect(status).toBe(413);
    expect(sentBytes).toBeLessThan(total);
  });

  it('answers a 5 MB chunked body (no length) with 413, without reading it all', async () => {
    const total = 5 * 1024 * 1024;
    const { status, sentBytes } = await postLargeBody(total, { declareLength: false });
    expect(status).toBe(413);
    expect(sentBytes).toBeLessThan(total);
  });

  it('still accepts an ordinary call', async () => {
    const email = uniqueEmail('body-limit');
    await expect(clientFrom('198.51.100.201').auth.signup.mutate({ email, password: PASSWORD, name: 'x'.repeat(100) })).resolves.toMatchObject({
      email,
    });
  });
});

describe('metric labels', () => {
  const labelValues = (text: string, metric: string, label: string) =>
    new Set([...text.matchAll(new RegExp(`^${metric}\\{[^}]*${label}="([^"]*)"`, 'gm'))].map((match) => match[1]!));

  it('do not grow with anonymous requests to made-up paths and procedures', async () => {
    const nonce = () =>
      Math.random()
        .toString(36)
        .replace(/[^a-z]/g, '')
        .slice(0, 8) || 'x';
    const requests: Array<Promise<Response>> = [];
    for (let i = 0; i < 40; i++) {
      requests.push(
        fetch(`${app.url}/${nonce()}`),
        fetch(`${app.url}/api/${nonce()}/${nonce()}`),
        fetch(`${app.url}/trpc/${nonce()}.${nonce()}`),
        fetch(`${app.url}/trpc/${nonce()}.${nonce()},auth.me?batch=1&input={}`),
        fetch(`${app.url}/media/${nonce()}`),
        fetch(`${app.url}/${nonce()}`, { method: 'PROPFIND' }),
      );
    }
    await Promise.all((await Promise.all(requests)).map((response) => response.arrayBuffer()));

    const text = await (await fetch(`${app.url}/metrics`)).text();
    const known = new Set(Object.keys(appRouter._def.procedures));
    const routes = labelValues(text, 'http_request_duration_seconds_count', 'route');
    const allowedRoutes = [
      '/trpc',
      '/media',
      '/metrics',
      '/api/health',
      '/api/ready',
      '/api/uploads',
      '/api/export',
      '/api/unsubscribe',
      '/api/sources/google',
      '/admin/queues',
      'client',
      'unmatched',
    ];
    expect([...routes].filter((route) => !allowedRoutes.includes(route))).toEqual([]);
    expect(routes).toContain('unmatched');
    const procedures = labelValues(text, 'trpc_procedure_duration_seconds_count', 'procedure');
    expect([...procedures].filter((procedure) => procedure !== 'unmatched' && !known.has(procedure))).toEqual([]);
    expect(procedures).toContain('auth.me');
    expect(procedures).toContain('unmatched');
    const methods = labelValues(text, 'http_request_duration_seconds_count', 'method');
    expect([...methods].filter((method) => !['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'other'].includes(method))).toEqual([]);
  });
});

describe('error answers', () => {
  it('carry no stack trace or server path, for input, routing and auth errors alike', async () => {
    const answers = [
      await fetch(`${app.url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: app.url },
        body: JSON.stringify({ json: { email: 'not an email' } }),
      }),
      await fetch(`${app.url}/trpc/no.such.procedure`),
      await fetch(`${app.url}/trpc/sources.list`),
      await fetch(`${app.url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: app.url },
        body: '{not json',
      }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      const body = await answer.text();
      expect(body).not.toMatch(/"stack"/);
      expect(body).not.toContain(process.cwd());
      expect(body).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
  });
});
