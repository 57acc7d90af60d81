import { spawnTs, stop, waitForOutput, type Child } from './child-process.js';

/** A real worker process (`worker/main.ts`) serving every queue, ready when it says so. */
export async function startWorkerProcess(env: Record<string, string>): Promise<Child> {
  const worker = spawnTs('worker/main.ts', env);
  await waitForOutput(worker, /worker is running for queues/);
  return worker;
}

export { stop };
