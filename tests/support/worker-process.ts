import { spawnTs, startAndWait, stop, type Child } from './child-process.js';

/** A real worker process (`worker/main.ts`) serving every queue, ready when it says so; stopped again if it never does. */
export async function startWorkerProcess(env: Record<string, string>): Promise<Child> {
  const { child } = await startAndWait(() => spawnTs('worker/main.ts', env), /worker is running for queues/);
  return child;
}

export { stop };
