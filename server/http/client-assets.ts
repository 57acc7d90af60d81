import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';

export type ClientMode = 'vite' | 'static' | 'off';

/** Where `vite build` writes the client, relative to this module in src and in dist/. */
const candidates = ['../../dist/client', '../../client'].map((p) => fileURLToPath(new URL(p, import.meta.url)));

/**
 * Development: Vite's dev server as middleware (same origin, hot reload).
 * Production: the built bundle, hashed assets cached forever, index.html never.
 */
export async function mountClient(app: Express, mode: ClientMode): Promise<() => Promise<void>> {
  if (mode === 'off') return async () => {};
  if (mode === 'vite') {
    const { createServer } = await import('vite');
    const vite = await createServer({ server: { middlewareMode: true }, appType: 'spa' });
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
