/**
 * `npm start`: everything on one machine with the embedded defaults. Starts
 * MariaDB and Redis if nothing listens on their ports, migrates, sets up the demo
 * account and library (skip with `npm start -- --no-demo`), then runs the web
 * server and a worker (all queues) as two processes, the way production does.
 *
 * setlist.fm and OpenStreetMap cannot be reached from a machine without internet:
 * unless SETLISTFM_API_KEY or OVERPASS_URL is set (or `--no-stand-ins` given), the
 * demo runs against local stand-ins that speak their protocols and know the demo
 * library's venues and shows.
 */
import { spawnSync } from 'node:child_process';
import { loadConfigOrExit } from '../server/config.js';
import { createWebRuntime } from '../server/bootstrap.js';
import { migrateDatabase } from '../server/db/migrate.js';
import { createLogger } from '../server/logger.js';
import { ensureDemoAccount } from './demo-account.js';
import { ensureDemoLibrary } from './demo-library/generate.js';
import { startDemoStandIns } from './stand-ins/demo-stand-ins.js';
import { ProcessGroup } from './topology/process-group.js';

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
let demoFolder: string | null = null;
const withDemo = !process.argv.includes('--no-demo');
if (withDemo) {
  const logger = createLogger({ logLevel: 'warn' });
  const runtime = createWebRuntime(config, logger);
  try {
    ({ note: demoNote, folder: demoFolder } = await ensureDemoAccount(config, runtime.services));
  } finally {
    await runtime.close();
  }
}

let standInsNote = '';
const outsideConfigured = Boolean(process.env.SETLISTFM_API_KEY || process.env.OVERPASS_URL);
if (demoFolder && !outsideConfigured && !process.argv.includes('--no-stand-ins')) {
  const { manifest } = await ensureDemoLibrary(demoFolder);
  const standIns = await startDemoStandIns(manifest);
  // The web server and worker inherit these.
  Object.assign(process.env, standIns.env);
  standInsNote = `setlist.fm and OpenStreetMap: local stand-ins knowing the demo shows (${standIns.env.SETLISTFM_API_URL}, ${standIns.env.OVERPASS_URL})`;
}

const group = new ProcessGroup();
group.run('web', 'server/main.ts');
group.run('worker', 'worker/main.ts');
if (demoNote) console.log(demoNote);
if (standInsNote) console.log(standInsNote);
