import { existsSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import type { AppConfig } from '../config.js';

export type ClientMode = 'vite' | 'static' | 'off';

/** Where `vite build` writes the client, relative to this module in src and in dist/. */
const candidates = ['../../dist/client', '../../client'].map((p) => fileURLToPath(new URL(p, import.meta.url)));

/**
 * Development: Vite's dev server as middleware (same origin, hot reload). What it
 * may serve is limited in vite.config.ts (server.fs); its hot-reload socket, a
 * server of its own in middleware mode, listens on HOST like the app (all
 * interfaces only when HOST is a wildcard) on a free port unless VITE_HMR_PORT says.
 * Production: the built bundle, hashed assets cached forever, index.html never.
 */
export async function mountClient(
  app: Express,
  config: Pick<AppConfig, 'clientMode' | 'viteHmrPort'> & { http: Pick<AppConfig['http'], 'host'> },
): Promise<() => Promise<void>> {
  const mode: ClientMode = config.clientMode;
  if (mode === 'off') return async () => {};
  if (mode === 'vite') {
    const { createServer } = await import('vite');
    const { host } = config.http;
    const ws = { host: isWildcard(host) ? undefined : host, port: config.viteHmrPort ?? (await freePort(host)) };
    const vite = await createServer({ server: { middlewareMode: true, ws }, appType: 'spa' });
    app.use(vite.middlewares);
    return () => vite.close();
  }
  const root = candidates.find((dir) => existsSync(`${dir}/index.html`) && existsSync(`${dir}/assets`));
  if (!root) throw new Error('No built client found: run `npm run build` first (or set CLIENT_MODE=vite|off)');
  app.use('/assets', express.static(`${root}/assets`, { immutable: true, maxAge: '1y', index: false }));
  app.use(express.static(root, { index: false, maxAge: 0 }));
  app.get(/^\/(?!api\/|trpc\/|trpc$|media\/|metrics$|admin\/).*/, (_req, res) => {
    res.set('Cache-Control', 'no-cache').sendFile(`${root}/index.html`);
  });
  return async () => {};
}

function isWildcard(host: string): boolean {
  return ['', '0.0.0.0', '::', '[::]', '::0'].includes(host);
}

/** A port free on `host` now (Vite reads a port of 0 as its fixed default, 24678, so one is picked here). */
async function freePort(host: string): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, isWildcard(host) ? undefined : host, resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('could not find a free port for the hot-reload socket');
  return address.port;
}
