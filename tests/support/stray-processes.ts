/**
 * The last line of cleanup of a test run: every process a test started carries this run's mark in its
 * environment (set here, inherited by the test files' processes and everything they spawn), so global
 * teardown can find a web server, worker, redis-server or browser that outlived its test file (a crashed or
 * timed-out file's process exits without running its hooks; a leaked handle outlives its hooks) and kill it,
 * with its descendants, before the run's database is dropped under it. Linux only (/proc); elsewhere it finds
 * nothing. A program that rewrites its own environment area loses the mark: redis-server is started with
 * --set-proc-title no for that reason.
 */
import { readdirSync, readFileSync } from 'node:fs';

const MARK = 'CH_TEST_RUN';

/** This run's mark, the same for every project of one vitest process; set before any test file's process starts. */
export function markThisRun(): string {
  const current = process.env[MARK];
  if (current?.startsWith(`${process.pid}-`)) return current;
  const mark = `${process.pid}-${Date.now().toString(36)}`;
  process.env[MARK] = mark;
  return mark;
}

interface ProcessInfo {
  pid: number;
  parent: number;
  marked: boolean;
  command: string;
}

function readProcesses(mark: string): ProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const needle = Buffer.from(`${MARK}=${mark}\0`);
  const found: ProcessInfo[] = [];
  for (const name of entries) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (command) state ppid …": the command may contain spaces and parentheses.
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const environment = readFileSync(`/proc/${name}/environ`);
      const command = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim().slice(0, 160);
      found.push({ pid: Number(name), parent, marked: environment.includes(needle), command });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/**
 * Kills (SIGKILL) every process of this run that outlived its test file, and its descendants. Returns what it
 * killed. Called by global teardown, when no test runs any more.
 */
export function killStrays(mark: string): string[] {
  const processes = readProcesses(mark);
  const byPid = new Map(processes.map((info) => [info.pid, info]));
  // Global teardown runs once every test file has ended, while vitest's own worker processes (this process's
  // children) may still be idle: everything of the run below them or orphaned is a stray. A process counts
  // as the run's when it or an ancestor below vitest's workers carries the mark (nginx workers, say, drop
  // the environment; the workers themselves inherit the mark and are spared).
  const isVitest = (info: ProcessInfo) => info.pid === process.pid || info.parent === process.pid;
  const isStray = (info: ProcessInfo): boolean => {
    if (isVitest(info)) return false;
    for (
      let current: ProcessInfo | undefined = info, hops = 0;
      current && !isVitest(current) && hops < 64;
      current = byPid.get(current.parent), hops += 1
    ) {
      if (current.marked) return true;
    }
    return false;
  };
  const killed: string[] = [];
  for (const info of processes) {
    if (!isStray(info)) continue;
    try {
      process.kill(info.pid, 'SIGKILL');
      killed.push(`${info.pid} ${info.command}`);
    } catch {
      // Already gone.
    }
  }
  return killed;
}
