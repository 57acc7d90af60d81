import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { initialRouteBudget } from './scripts/build/initial-route-budget.js';

// Absolute paths: the web server creates Vite from the repo root (middleware mode),
// while `vite build` may be run from anywhere.
const clientRoot = fileURLToPath(new URL('./client', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/client', import.meta.url));
const sharedRoot = fileURLToPath(new URL('./shared', import.meta.url));
const nodeModules = fileURLToPath(new URL('./node_modules', import.meta.url));

export default defineConfig({
  root: clientRoot,
  // Only VITE_* variables from client/.env* reach the bundle; the server's .env at the repo root is never read.
  envDir: clientRoot,
  // Issue 6: the first page's JavaScript stays within 250 KiB gzipped.
  plugins: [react(), initialRouteBudget(250)],
  clearScreen: false,
  server: {
    // The dev server serves the client and what it imports, nothing else: by default it would
    // serve any file of the repository (/@fs/…/server/config.ts) and the stored photos under .data.
    // Its hot-reload socket's host and port come from the web server (server/http/client-assets.ts).
    fs: {
      strict: true,
      allow: [clientRoot, sharedRoot, nodeModules],
      deny: ['.env', '.env.*', '*.{crt,pem,key}', '**/.git/**', '**/.data/**'],
    },
  },
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
  },
});
