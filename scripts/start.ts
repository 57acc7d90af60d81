/**
 * `npm start`: everything on one machine with the embedded defaults. Starts
 * MariaDB and Redis if nothing listens on their ports, migrates, sets up the demo
 * account and library (skip with `npm start -- --no-demo`), then runs the web
 * server and a worker (all queues) as two processes, the way production does, and
 * ends its start-up with a short summary: where to open the app, the demo account,
 * and what happens next. Logs are readable lines (LOG_FORMAT=pretty in development).
 *
 * The demo library's first scan starts when the demo account first logs in, not
 * before: a newcomer then sees it live on the timeline instead of a scan that ended
 * while the server was still starting. It is the app's scan, not one of the user's
 * five an hour.
 *
 * setlist.fm and OpenStreetMap cannot be reached from a machine without internet:
 * unless SETLISTFM_API_KEY or OVERPASS_URL is set (or `--no-stand-ins` given), the
 * demo runs against local stand-ins that speak their protocols and know the demo
 * library's venues and most of its shows (a few evenings are left for the review inbox on purpose).
 */
import { spawnSync } from 'node:child_process';
import { loadConfigOrExit } from '../server/config.js';
import { createWebRuntime, type WebRuntime } from '../server/bootstrap.js';
import { migrateDatabase } from '../server/db/migrate.js';
import { createLogger } from '../server/logger.js';
import { DEMO_ACCOUNT, ensureDemoAccount, startDemoScan, waitForFirstLogin, type DemoAccount } from './demo-account.js';
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

const withDemo = !process.argv.includes('--no-demo');
let runtime: WebRuntime | null = null;
let demo: DemoAccount | null = null;
if (withDemo) {
  runtime = createWebRuntime(config, createLogger({ logLevel: 'warn', logFormat: config.logFormat }));
  try {
    demo = await ensureDemoAccount(config, runtime.services);
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

let matchingNote = 'setlist.fm and OpenStreetMap: not configured, so every show waits in the review inbox';
const outsideConfigured = Boolean(process.env.SETLISTFM_API_KEY || process.env.OVERPASS_URL);
if (outsideConfigured) matchingNote = 'setlist.fm and OpenStreetMap: the real services (SETLISTFM_API_KEY / OVERPASS_URL)';
if (demo?.demo && !outsideConfigured && !process.argv.includes('--no-stand-ins')) {
  const standIns = await startDemoStandIns(demo.demo.manifest);
  // The web server and worker inherit these.
  Object.assign(process.env, standIns.env);
  const review = standIns.eveningsForReview.length;
  matchingNote = `setlist.fm and OpenStreetMap: local stand-ins that know the demo's venues and shows${review ? `, but for ${review} evenings left for you to settle in the review inbox` : ''}`;
}

const group = new ProcessGroup();
if (runtime) {
  const held = runtime;
  group.onExit(() => held.close());
}
// Readable logs unless the caller chose otherwise (LOG_FORMAT=json).
const childEnv = { LOG_FORMAT: config.logFormat };
let url: string | null = null;
const webListening = new Promise<void>((resolve) => {
  group.run('web', 'server/main.ts', childEnv, (line) => {
    const listening = /Concert History web server is listening on (\S+)/.exec(line);
    if (listening && !url) {
      url = listening[1]!;
      resolve();
    }
  });
});
const workerRunning = new Promise<void>((resolve) => {
  group.run('worker', 'worker/main.ts', childEnv, (line) => {
    if (line.includes('Concert History worker is running')) resolve();
  });
});
await Promise.all([webListening, workerRunning]);

const pending = demo?.demo?.firstScanPending ? demo.demo : null;
printSummary();

if (pending && runtime) {
  const held = runtime;
  const stop = new AbortController();
  group.onExit(async () => stop.abort());
  waitForFirstLogin(held.services, pending.userId, { signal: stop.signal })
    .then(async () => {
      const started = await startDemoScan(held.services, pending.userId, pending.sourceId);
      if (started)
        console.log(`\n  The demo account logged in: its library's first scan has started (scan ${started.scanId}). Watch it on the timeline.\n`);
    })
    .catch((error: unknown) => {
      if (!stop.signal.aborted)
        console.error(`The demo scan could not be started: ${(error as Error).message}. Use “Scan now” in the Photos library.`);
    });
}

function printSummary() {
  const lines: Array<[string, string]> = [['Open', url ?? '(the web server did not say where)']];
  if (demo?.demo) {
    lines.push(['Log in', `${DEMO_ACCOUNT.email}  /  ${DEMO_ACCOUNT.password}`]);
    lines.push([
      'Demo',
      `${demo.note}; ${pending ? 'its first scan starts when you log in, and you watch it live' : 'already scanned (rescan it from the Photos library)'}`,
    ]);
  } else if (demo) {
    lines.push(['Demo', demo.note]);
  } else {
    lines.push(['Demo', 'none (--no-demo): sign up, then add photos in the Photos library']);
  }
  lines.push(['Matching', matchingNote]);
  lines.push(['Running', 'a web server (with hot reload) and a worker for every queue; their logs follow']);
  lines.push(['Stop', 'Ctrl-C stops both gracefully']);
  const width = Math.max(...lines.map(([label]) => label.length));
  const body = lines.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`);
  const rule = `  ${'─'.repeat(Math.min(76, Math.max(...body.map((line) => line.length)) - 2))}`;
  console.log(['', rule, '  Concert History is running', rule, ...body, rule, ''].join('\n'));
}
