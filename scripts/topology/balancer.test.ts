import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBalancer } from './balancer.js';

/** An upstream that answers with its name, the request's body and the forwarded address. */
async function echoServer(name: string) {
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, body, forwardedFor: req.headers['x-forwarded-for'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('the topology balancer', () => {
  let alive: Awaited<ReturnType<typeof echoServer>>;
  let gone: Awaited<ReturnType<typeof echoServer>>;
  let balancer: ReturnType<typeof createBalancer>;
  let url: string;
  beforeAll(async () => {
    alive = await echoServer('alive');
    gone = await echoServer('gone');
    await new Promise((resolve) => gone.server.close(resolve));
    balancer = createBalancer([gone.url, alive.url]);
    url = await balancer.listen(0);
  });
  afterAll(async () => {
    await balancer.close();
    await new Promise((resolve) => alive.server.close(resolve));
  });

  it('sends a request whose server refuses the connection to the next one, body and all', async () => {
    for (let i = 0; i < 4; i += 1) {
      const response = await fetch(url, { method: 'POST', body: `payload ${i}` });
      expect(response.status).toBe(200);
      const answer = await response.json();
      expect(answer).toMatchObject({ name: 'alive', body: `payload ${i}` });
      expect(answer.forwardedFor).toMatch(/127\.0\.0\.1/);
    }
    expect(balancer.upstreams[0]!.downUntil).toBeGreaterThan(0);
  });

  it('answers 502 when no server takes the request', async () => {
    const lonely = createBalancer([gone.url]);
    const lonelyUrl = await lonely.listen(0);
    try {
      expect((await fetch(lonelyUrl)).status).toBe(502);
    } finally {
      await lonely.close();
    }
  });
});
