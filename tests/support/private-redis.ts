import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { freePort } from './free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { STARTUP_TIMEOUT_MS, STOP_GRACE_MS, stopAtEnd } from './child-process.js';

/** SIGTERM, then SIGKILL if it has not exited after the grace period. */
async function stopProcess(running: ChildProcess) {
  if (running.exitCode !== null || running.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => running.kill('SIGKILL'), STOP_GRACE_MS);
    running.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    running.kill('SIGTERM');
  });
}

/**
 * A Redis of the test's own on its own port, which the test may stop and start
 * again. It keeps an append-only file, as production's queue Redis does, so what
 * was queued survives a restart.
 */
export async function startPrivateRedis() {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'ch-redis-'));
  let server: ChildProcess | null = null;

  let forget = () => {};

  /** Starts the server; a no-op while it runs (tests call it in `finally` to be sure it is up again). */
  async function start() {
    if (server && server.exitCode === null && server.signalCode === null) return;
    // --set-proc-title no: its process title would overwrite the environment that marks it as this run's.
    const running = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--set-proc-title', 'no'],
      { stdio: 'ignore' },
    );
    server = running;
    forget = stopAtEnd({ name: `redis-server :${port}`, stop: () => stopProcess(running), kill: () => running.kill('SIGKILL') });
    const probe = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      const deadline = Date.now() + STARTUP_TIMEOUT_MS;
      for (;;) {
        if (running.exitCode !== null || running.signalCode !== null) throw new Error(`redis-server on port ${port} exited before it answered`);
        try {
          await probe.connect();
          await probe.ping();
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } catch (error) {
      // Never leave a half-started server behind.
      await stop();
      throw error;
    } finally {
      probe.disconnect();
    }
  }

  async function stop() {
    const running = server;
    server = null;
    forget();
    if (running) await stopProcess(running);
  }

  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop };
}
