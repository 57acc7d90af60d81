/**
 * A least-connections HTTP balancer for running several web servers on one
 * machine without nginx (`npm run topology`). It does what deploy/nginx does for
 * the app: forwards the client's address and scheme, streams responses as they
 * come (server-sent events included), and sends a request to the next server when
 * one refuses the connection (a server that is stopping or down), marking that
 * one down for a few seconds. The request body is only read once a server has
 * accepted the connection, so retrying never loses it.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Upstream {
  url: URL;
  active: number;
  /** Requests sent here so far; among servers equally busy, the one picked least often goes next. */
  picks: number;
  downUntil: number;
}

const DOWN_FOR_MS = 5_000;
/** Headers about one connection, not the message: each hop sets its own. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection'];

function endToEnd(headers: IncomingMessage['headers']) {
  const copy = { ...headers };
  for (const name of HOP_BY_HOP) delete copy[name];
  return copy;
}

export function createBalancer(targets: readonly string[]) {
  const upstreams: Upstream[] = targets.map((target) => ({ url: new URL(target), active: 0, picks: 0, downUntil: 0 }));

  function pick(excluded: Set<Upstream>): Upstream | undefined {
    const now = Date.now();
    const candidates = upstreams.filter((u) => !excluded.has(u));
    const up = candidates.filter((u) => u.downUntil <= now);
    // All marked down: try them anyway rather than fail without asking.
    return (up.length ? up : candidates).sort((a, b) => a.active - b.active || a.picks - b.picks)[0];
  }

  function forward(req: IncomingMessage, res: ServerResponse, tried: Set<Upstream>) {
    const upstream = pick(tried);
    if (!upstream) {
      res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'No web server is available' }));
      return;
    }
    tried.add(upstream);
    upstream.active += 1;
    upstream.picks += 1;
    let released = false;
    const release = () => {
      if (!released) upstream.active -= 1;
      released = true;
    };
    const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
    const proxied = request(
      new URL(req.url ?? '/', upstream.url),
      {
        method: req.method,
        headers: { ...endToEnd(req.headers), 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': 'http', 'x-forwarded-host': req.headers.host ?? '' },
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...endToEnd(answer.headers), 'x-served-by': upstream.url.host });
        res.flushHeaders();
        answer.pipe(res);
        answer.on('close', release);
      },
    );
    proxied.on('socket', (socket) => {
      const send = () => req.pipe(proxied);
      if (socket.connecting) socket.once('connect', send);
      else send();
    });
    proxied.on('error', (error: NodeJS.ErrnoException) => {
      release();
      if (!res.headersSent && error.code === 'ECONNREFUSED') {
        upstream.downUntil = Date.now() + DOWN_FOR_MS;
        forward(req, res, tried);
        return;
      }
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'The web server failed' }));
      else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) proxied.destroy();
      release();
    });
  }

  const server: Server = createServer((req, res) => forward(req, res, new Set()));
  // Event streams stay open for as long as the browser watches.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  return {
    server,
    upstreams,
    listen(port: number, host = '127.0.0.1') {
      return new Promise<string>((resolve) => {
        server.listen(port, host, () => resolve(`http://${host === '0.0.0.0' ? 'localhost' : host}:${(server.address() as AddressInfo).port}`));
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
