import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Child processes run as one unit: when one exits unexpectedly the rest are
 * stopped; SIGINT/SIGTERM stop all (SIGTERM each, so they drain) and then the
 * parent exits.
 */
export class ProcessGroup {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;
  private exitCode = 0;
  private readonly beforeExit: Array<() => Promise<void>> = [];

  constructor() {
    process.on('SIGINT', () => void this.stopAll());
    process.on('SIGTERM', () => void this.stopAll());
  }

  /** A TypeScript entrypoint under tsx, with extra environment; `onLine` sees its output. */
  run(name: string, entry: string, env: Record<string, string> = {}, onLine?: (line: string) => void): ChildProcess {
    return this.spawn(name, process.execPath, ['--import', 'tsx', entry], env, onLine);
  }

  /** Any program (nginx), with extra environment; `onLine` sees its output, which is passed through either way. */
  spawn(name: string, command: string, args: readonly string[], env: Record<string, string> = {}, onLine?: (line: string) => void): ChildProcess {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: onLine ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    });
    if (onLine) {
      let pending = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop()!;
        for (const line of lines) {
          onLine(line);
          process.stdout.write(`${line}\n`);
        }
      });
    }
    this.children.set(name, child);
    child.on('error', (error) => console.error(`${name} could not start: ${error.message}`));
    child.on('exit', (code, signal) => {
      this.children.delete(name);
      if (!this.stopping) {
        console.error(`${name} exited (${signal ?? code}); stopping the rest.`);
        void this.stopAll(code || 1);
      } else if (this.children.size === 0) {
        void this.finish();
      }
    });
    return child;
  }

  /** Runs before the parent exits (after every child has). */
  onExit(task: () => Promise<void>) {
    this.beforeExit.push(task);
  }

  async stopAll(exitCode = 0) {
    if (this.stopping) return;
    this.stopping = true;
    this.exitCode = exitCode;
    if (this.children.size === 0) return this.finish();
    for (const child of this.children.values()) child.kill('SIGTERM');
  }

  private async finish() {
    await Promise.allSettled(this.beforeExit.map((task) => task()));
    process.exit(this.exitCode);
  }
}
