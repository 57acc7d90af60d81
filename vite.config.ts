import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { initialRouteBudget } from './scripts/build/initial-route-budget.js';

// Absolute paths: the web server creates Vite from the repo root (middleware mode),
// while `vite build` may be run from anywhere.
const clientRoot = fileURLToPath(new URL('./client', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/client', import.meta.url));
const hmrPort = Number(process.env.VITE_HMR_PORT) || undefined;

export default defineConfig({
  root: clientRoot,
  // Only VITE_* variables from client/.env* reach the bundle; the server's .env at the repo root is never read.
  envDir: clientRoot,
  // Issue 6: the first page's JavaScript stays within 250 KiB gzipped.
  plugins: [react(), initialRouteBudget(250)],
  clearScreen: false,
  server: {
    // In middleware mode Vite runs its own HMR WebSocket server (port 24678 by default);
    // VITE_HMR_PORT lets two dev servers run side by side.
    hmr: hmrPort ? { port: hmrPort } : true,
  },
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
  },
});
