/**
 * The processes under load: the built web server and worker (`node dist/…`), each a
 * child process, and the bare Node `http` server that measures the machine's
 * ceiling. `npm run build` runs first when dist/ is missing or older than the sources.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { stop, waitForOutput, type Child } from '../../tests/support/child-process.js';

export { stop, type Child };

const SOURCE_DIRS = ['server', 'worker', 'shared', 'drizzle', 'scripts/db-migrate.ts', 'client'];
const BUILT_ENTRIES = ['dist/server/main.js', 'dist/worker/main.js'];

/** Builds unless every built entry is newer than every source file (or `force`). */
export async function ensureBuild(force: boolean): Promise<'built' | 'up to date'> {
  if (!force && (await builtIsFresh())) return 'up to date';
  console.log('Building (npm run build)…');
  const result = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status})`);
  return 'built';
}

async function builtIsFresh(): Promise<boolean> {
  let oldestBuilt = Infinity;
  for (const entry of BUILT_ENTRIES) {
    const info = await stat(entry).catch(() => null);
    if (!info) return false;
    oldestBuilt = Math.min(oldestBuilt, info.mtimeMs);
  }
  for (const dir of SOURCE_DIRS) {
    if ((await newestMtime(dir)) > oldestBuilt) return false;
  }
  return true;
}

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, await newestMtime(join(path, entry.name)));
  }
  return newest;
}

/** A built entrypoint as a child process, with its output kept for the error report. */
export function spawnNode(entry: string, env: Record<string, string>, nodeArgs: string[] = []): Child {
  const child = spawn(process.execPath, [...nodeArgs, entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk;
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

export async function startWeb(env: Record<string, string>, nodeArgs: string[] = []): Promise<{ child: Child; url: string }> {
  const child = spawnNode('dist/server/main.js', { PORT: '0', ...env }, nodeArgs);
  const [, url] = await waitForOutput(child, /listening on (http:\/\/\S+)/);
  return { child, url: url! };
}

export async function startWorker(env: Record<string, string>): Promise<Child> {
  const child = spawnNode('dist/worker/main.js', env);
  await waitForOutput(child, /worker is running/);
  return child;
}

/** The ceiling: `http.createServer` answering one fixed JSON body, in its own process like the app. */
export async function startCeiling(bodyBytes: number): Promise<{ child: Child; url: string }> {
  const child = spawnNode('bench/load/ceiling-server.mjs', { CEILING_BODY_BYTES: String(bodyBytes) });
  const [, url] = await waitForOutput(child, /listening on (http:\/\/\S+)/);
  return { child, url: url! };
}

/** SIGTERM to each child still running, and wait for its exit. */
export async function stopAll(children: Array<Child | undefined>): Promise<void> {
  await Promise.all(children.filter((c): c is Child => c !== undefined).map((child) => stop(child)));
}
