/**
 * Processes a test starts (web servers, workers, redis-server, s3rver, the topology, Chromium), and the rule
 * that each is stopped on every path: a helper whose start-up fails stops what it started before rethrowing;
 * whatever a test file leaves running is stopped when the file ends (tests/support/tier-setup.ts) or killed
 * when its process exits; and global teardown kills any process of this run that outlived them all
 * (tests/support/stray-processes.ts) before it drops the run's database.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Start-up waits sized for a loaded 2-core machine running two test suites at once (a cold `tsx` start of
 * the worker takes seconds there). They bound how long a broken start-up takes to fail, never a pass.
 */
export const STARTUP_TIMEOUT_MS = 120_000;
/** How long a process gets to drain after SIGTERM before it is killed. */
export const STOP_GRACE_MS = 60_000;

export interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Something this test process started and must stop: `stop` gracefully, `kill` synchronously at exit. */
interface Started {
  name: string;
  stop: () => Promise<unknown>;
  kill: () => void;
}

const started = new Set<Started>();

/** Registers something to stop when the test file ends; returns the function that unregisters it. */
export function stopAtEnd(thing: Started): () => void {
  started.add(thing);
  return () => started.delete(thing);
}

/** Stops everything still running that this test process started; says what it had to stop. */
export async function stopEverythingStarted(): Promise<string[]> {
  const left = [...started];
  started.clear();
  await Promise.allSettled(left.map((thing) => thing.stop()));
  return left.map((thing) => thing.name);
}

// The last resort inside this process: a test file's process that exits (or is ended by vitest) takes its
// children with it. Only synchronous work runs here, so SIGKILL.
process.on('exit', () => {
  for (const thing of started) thing.kill();
});

/** Wraps a spawned process with its collected output, and tracks it until it exits. */
export function track(name: string, child: ChildProcess): Child {
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const wrapped: Child = { process: child, output: () => output, exited };
  const forget = stopAtEnd({ name, stop: () => stop(wrapped), kill: () => kill(child) });
  void exited.then(forget);
  return wrapped;
}

/** Runs a TypeScript entrypoint under tsx, as `npm run web` / `npm run worker` do. */
export function spawnTs(entry: string, env: Record<string, string>, args: string[] = []): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(entry, child);
}

/** Resolves with the first match of `pattern` in the child's output; fails if it exits first. */
export async function waitForOutput(child: Child, pattern: RegExp, timeoutMs = STARTUP_TIMEOUT_MS): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = child.output().match(pattern);
    if (match) return match;
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`process exited (${child.process.exitCode ?? child.process.signalCode}) before ${pattern}:\n${child.output()}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts a child and waits for its ready line; if it never comes, the child is stopped before the error is
 * rethrown, so a failed start-up leaves nothing running.
 */
export async function startAndWait(
  start: () => Child,
  ready: RegExp,
  timeoutMs = STARTUP_TIMEOUT_MS,
): Promise<{ child: Child; match: RegExpMatchArray }> {
  const child = start();
  try {
    return { child, match: await waitForOutput(child, ready, timeoutMs) };
  } catch (error) {
    await stop(child);
    throw error;
  }
}

/**
 * A web process (`server/main.ts`), returned once it listens and its Redis connection is up: it listens
 * first, and answers 503 to what needs Redis until it is connected, which on a loaded machine can be
 * seconds after the listening line. Its database may be down (a test may want that); Redis may not.
 */
export async function startWebProcess(env: Record<string, string>): Promise<{ child: Child; url: string }> {
  const { child, match } = await startAndWait(() => spawnTs('server/main.ts', { PORT: '0', ...env }), /listening on (http:\/\/\S+)/);
  const url = match[1]!;
  try {
    await waitForRedisCheck(url);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return { child, url };
}

async function waitForRedisCheck(url: string, timeoutMs = STARTUP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    try {
      const response = await fetch(`${url}/api/ready`, { signal: AbortSignal.timeout(10_000) });
      const body = (await response.json()) as { checks?: Record<string, unknown> };
      if (body.checks?.redis === 'ok') return;
      last = `${response.status} ${JSON.stringify(body)}`;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) throw new Error(`web process at ${url} never reached Redis within ${timeoutMs} ms; last readiness answer: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Sends `signal` (SIGTERM: the process drains) and waits for the exit; a process still running after
 * `graceMs` is killed. Resolves with the exit code (null when it ended by a signal).
 */
export async function stop(child: Child, signal: NodeJS.Signals = 'SIGTERM', graceMs = STOP_GRACE_MS): Promise<number | null> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      kill(child.process);
      resolve();
    }, graceMs);
  });
  try {
    await Promise.race([child.exited, killed]);
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

function kill(child: ChildProcess) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
