/**
 * `npm start`: everything on one machine with the embedded defaults. Starts
 * MariaDB and Redis if nothing listens on their ports, migrates, sets up the demo
 * account and library (skip with `npm start -- --no-demo`), then runs the web
 * server and a worker (all queues) as two processes, the way production does.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { loadConfigOrExit } from '../server/config.js';
import { createWebRuntime } from '../server/bootstrap.js';
import { migrateDatabase } from '../server/db/migrate.js';
import { createLogger } from '../server/logger.js';
import { ensureDemoAccount } from './demo-account.js';

const config = loadConfigOrExit();

const services = spawnSync('bash', ['scripts/ensure-services.sh'], { stdio: 'inherit' });
if (services.status !== 0) process.exit(services.status ?? 1);

try {
  await migrateDatabase(config.database.url);
} catch (error) {
  console.error(`Could not migrate the database: ${(error as Error).message}`);
  process.exit(1);
}

let demoNote = '';
if (!process.argv.includes('--no-demo')) {
  const logger = createLogger({ logLevel: 'warn' });
  const runtime = createWebRuntime(config, logger);
  try {
    demoNote = await ensureDemoAccount(config, runtime.services);
  } finally {
    await runtime.close();
  }
}

const children = new Map<string, ChildProcess>();
let stopping = false;

function run(name: string, entry: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { stdio: 'inherit' });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping the rest.`);
      stopAll(code ?? 1);
    } else if (children.size === 0) {
      process.exit(0);
    }
  });
}

function stopAll(exitCode = 0) {
  stopping = true;
  if (children.size === 0) process.exit(exitCode);
  for (const child of children.values()) child.kill('SIGTERM');
}

process.on('SIGINT', () => stopAll());
process.on('SIGTERM', () => stopAll());

run('web', 'server/main.ts');
run('worker', 'worker/main.ts');
if (demoNote) console.log(demoNote);
