import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs a TypeScript entrypoint under tsx, as `npm run web` / `npm run worker` do. */
export function spawnTs(entry: string, env: Record<string, string>, args: string[] = []): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

/** Resolves with the first match of `pattern` in the child's output; fails if it exits first. */
export async function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = child.output().match(pattern);
    if (match) return match;
    if (child.process.exitCode !== null) throw new Error(`process exited (${child.process.exitCode}) before ${pattern}:\n${child.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startWebProcess(env: Record<string, string>): Promise<{ child: Child; url: string }> {
  const child = spawnTs('server/main.ts', { PORT: '0', ...env });
  const [, url] = await waitForOutput(child, /listening on (http:\/\/\S+)/);
  return { child, url: url! };
}

export async function stop(child: Child, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.process.exitCode === null) child.process.kill(signal);
  return child.exited;
}
