/**
 * The test harness stops what it starts on every path (tests/support/child-process.ts, stray-processes.ts):
 * a start-up that never becomes ready leaves nothing running, a process that ignores SIGTERM is killed, what a
 * test file leaves running is stopped at its end, and a process of a run that outlived its test file's process
 * is found by its mark and killed.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startAndWait, stop, stopEverythingStarted, track } from '../support/child-process.js';
import { killStrays } from '../support/stray-processes.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Until `pid` runs `sleep 300`: `$!` names the shell's fork at once, and while it execs the kernel shows it
 * with no environment (so no mark) for a moment, which a loaded machine stretches. A real stray is long past it.
 */
const sleeping = (pid: number) =>
  expect
    .poll(
      () => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
        } catch {
          return '';
        }
      },
      { timeout: 30_000 },
    )
    .toBe('sleep 300');

/** A Node process that prints `started`, never becomes ready, and (optionally) shrugs off SIGTERM. */
function idleNode(name: string, { ignoreSigterm = false } = {}) {
  const script = `${ignoreSigterm ? "process.on('SIGTERM', () => {});" : ''} console.log('started'); setInterval(() => {}, 1000);`;
  return track(name, spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('processes started by tests', () => {
  it('are stopped when their start-up times out, before the error reaches the test', async () => {
    let pid = 0;
    await expect(
      startAndWait(
        () => {
          const child = idleNode('never ready');
          pid = child.process.pid!;
          return child;
        },
        /ready/,
        1_000,
      ),
    ).rejects.toThrow(/timed out after 1000 ms waiting for \/ready\//);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
  });

  it('are killed when they ignore SIGTERM past the grace period', async () => {
    const child = idleNode('stubborn', { ignoreSigterm: true });
    await startAndWait(() => child, /started/);
    expect(await stop(child, 'SIGTERM', 500)).toBeNull();
    expect(child.process.signalCode).toBe('SIGKILL');
  });

  it('are stopped at the end of the test file when the test left them running', async () => {
    const { child } = await startAndWait(() => idleNode('left behind'), /started/);
    expect(await stopEverythingStarted()).toEqual(['left behind']);
    expect(alive(child.process.pid!)).toBe(false);
    expect(await stopEverythingStarted()).toEqual([]);
  });

  it('are found by the run’s mark and killed once the process that started them is gone', async () => {
    const mark = `harness-test-${randomBytes(4).toString('hex')}`;
    // The shell starts a sleeper and exits: the sleeper is an orphan, as a dead test file's worker would be.
    const shell = spawn('sh', ['-c', 'sleep 300 & echo $!'], { env: { ...process.env, CH_TEST_RUN: mark }, stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    shell.stdout.on('data', (chunk) => (output += chunk));
    await new Promise((resolve) => shell.on('exit', resolve));
    const orphan = Number(output.trim());
    expect(alive(orphan)).toBe(true);
    try {
      await sleeping(orphan);
      expect(killStrays(`other-${mark}`)).toEqual([]);
      expect(killStrays(mark)).toEqual([expect.stringMatching(new RegExp(`^${orphan} `))]);
      await expect.poll(() => alive(orphan), { timeout: 30_000 }).toBe(false);
    } finally {
      if (alive(orphan)) process.kill(orphan, 'SIGKILL');
    }
  });

  it('are found by the mark below a process that still lives, which is spared as vitest’s own workers are', async () => {
    const mark = `harness-test-${randomBytes(4).toString('hex')}`;
    // Here this test's process plays vitest's main process: its direct child, the shell, plays a vitest worker.
    const shell = spawn('sh', ['-c', 'sleep 300 & echo $!; wait'], {
      env: { ...process.env, CH_TEST_RUN: mark },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const exited = new Promise((resolve) => shell.on('exit', resolve));
    const sleeper = Number(await new Promise<string>((resolve) => shell.stdout.once('data', (chunk) => resolve(String(chunk).trim()))));
    try {
      await sleeping(sleeper);
      expect(killStrays(mark)).toEqual([expect.stringMatching(new RegExp(`^${sleeper} `))]);
      await exited;
      expect(alive(sleeper)).toBe(false);
    } finally {
      if (alive(sleeper)) process.kill(sleeper, 'SIGKILL');
      shell.kill('SIGKILL');
    }
  });
});
