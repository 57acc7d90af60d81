/**
 * `npm run topology`: the production shape on one machine. Three stateless web
 * servers behind nginx (Debian's package, installed when missing, run as a child
 * with deploy/nginx/nginx.conf: scripts/topology/nginx.ts), and two worker pools
 * (one for I/O-bound queues, one for CPU-bound photo and image work), all against
 * the same MariaDB, Redis and storage. docs/operations.md explains it.
 *
 *   npm run topology -- [--web 3] [--port 8080]
 *
 * Every variable of the README's configuration table applies to every process.
 * Stop with Ctrl-C: nginx stops, and every process drains.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../server/config.js';
import { migrateDatabase } from '../server/db/migrate.js';
import { accessLogOf, followFile, freePort, prepareNginx } from './topology/nginx.js';
import { ProcessGroup } from './topology/process-group.js';

/** The two pools of docs/operations.md: together they serve every queue. */
export const WORKER_POOLS = {
  'worker-io': 'scan,venue,match,schedule,mail,export',
  'worker-cpu': 'photo,image',
} as const;

const { values: args } = parseArgs({
  options: { web: { type: 'string', default: '3' }, port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } },
});
const webCount = Number(args.web);
const port = Number(args.port);
if (!Number.isInteger(webCount) || webCount < 1 || webCount > 16) throw new Error('--web must be a whole number from 1 to 16');
if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port must be a port number');

const config = loadConfigOrExit();
const services = spawnSync('bash', ['scripts/ensure-services.sh'], { stdio: 'inherit' });
if (services.status !== 0) process.exit(services.status ?? 1);
const ensuredNginx = spawnSync('bash', ['scripts/ensure-nginx.sh'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (ensuredNginx.status !== 0) process.exit(ensuredNginx.status ?? 1);
const nginxBinary = ensuredNginx.stdout.trim().split('\n').at(-1)!;
await migrateDatabase(config.database.url);

const clientMode = process.env.CLIENT_MODE || 'static';
if (clientMode === 'static' && !existsSync('dist/client/index.html')) {
  console.log('Building the client once (dist/client) ...');
  const build = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

let sessionNote = '';
if (!process.env.SESSION_SECRET) {
  sessionNote = 'SESSION_SECRET is not set: one was generated for this run, so restarting the topology logs everyone out.';
}
const shared = {
  CLIENT_MODE: clientMode,
  TRUST_PROXY: 'true',
  // One process per web server: nginx is what spreads the requests.
  WEB_CONCURRENCY: '1',
  SESSION_SECRET: process.env.SESSION_SECRET || randomBytes(48).toString('base64'),
};

const group = new ProcessGroup();
const webUrls = await Promise.all(
  Array.from(
    { length: webCount },
    (_, i) =>
      new Promise<string>((resolve) => {
        group.run(`web-${i + 1}`, 'server/main.ts', { ...shared, PORT: '0' }, (line) => {
          const listening = /listening on (http:\/\/\S+)/.exec(line);
          if (listening) resolve(listening[1]!);
        });
      }),
  ),
);
for (const [name, queues] of Object.entries(WORKER_POOLS)) group.run(name, 'worker/main.ts', { ...shared, WORKER_QUEUES: queues });

// nginx, in the foreground, in a folder of its own under DATA_DIR; its access log (with each request's upstream) goes to stdout.
const nginxPort = port || (await freePort(args.host));
const prefix = resolve(join(config.dataDir, 'nginx', String(nginxPort)));
const nginx = await prepareNginx(nginxBinary, {
  listen: `${args.host}:${nginxPort}`,
  upstreams: webUrls.map((webUrl) => new URL(webUrl).host),
  prefix,
});
await rm(accessLogOf(prefix), { force: true });
const stopFollowing = followFile(accessLogOf(prefix), (line) => console.log(`nginx: ${line}`));
group.onExit(stopFollowing);
group.spawn('nginx', nginx.command, nginx.args);
await untilListening(args.host, nginxPort);
const url = `http://${args.host === '0.0.0.0' ? 'localhost' : args.host}:${nginxPort}`;
console.log(`Web servers: ${webUrls.join(', ')}`);
console.log(
  `Worker pools: ${Object.entries(WORKER_POOLS)
    .map(([name, queues]) => `${name} (${queues})`)
    .join(', ')}`,
);
if (sessionNote) console.log(sessionNote);
console.log(`Concert History (${webCount} web servers, ${Object.keys(WORKER_POOLS).length} worker pools) is at ${url}`);

/** Resolves once something accepts connections on the port (nginx has started). */
async function untilListening(host: string, onPort: number, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(onPort, host === '0.0.0.0' ? '127.0.0.1' : host);
      socket.once('connect', () => done(socket.end() && true));
      socket.once('error', () => done(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${host}:${onPort} within ${timeoutMs} ms`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}
