/**
 * npm run bench:load [-- --users 200 --seconds 20 --peak-seconds 30 --build --json --cpu-prof]
 *
 * The built web server and worker (`node dist/…`, NODE_ENV=production) against
 * their own database seeded with a realistic history and their own Redis prefix,
 * driven by autocannon with signed-in browsers' mixed traffic (bench/load/traffic.ts):
 * baseline (100 connections), peak (1,000), and a spike (50 connections, joined by
 * 950 more at once for 10 s). Then, in the same run, a bare Node `http` server
 * answering a fixed JSON body of the app's average size with the same settings:
 * the machine's ceiling. Prints requests/s, p50/p95/p99, errors and the ratio.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchEnvironment, cpuSeconds, round, servicePids } from './support.js';
import { drive, figures, type Figures, type Sample } from './load/drive.js';
import { ensureBuild, startCeiling, startWeb, startWorker, stopAll, type Child } from './load/processes.js';
import { seedLoadData } from './load/seed.js';
import { difference, scrape } from './load/server-metrics.js';
import { browserIdentity, logIn } from './load/sessions.js';
import { MIX, requestPool, verifyMix, type RequestKind, type SignedInUser } from './load/traffic.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    'peak-seconds': { type: 'string', default: '30' },
    baseline: { type: 'string', default: '100' },
    peak: { type: 'string', default: '1000' },
    'pool-size': { type: 'string' },
    build: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    /** For investigation: only these kinds of request (comma-separated names from MIX), and which scenarios to run. */
    kinds: { type: 'string' },
    scenarios: { type: 'string', default: 'baseline,peak,spike,ceiling' },
    /** Extra Node flags for the web process, e.g. "--max-semi-space-size=32". */
    'web-node-args': { type: 'string', default: '' },
  },
});
/** The spike's steady connections; the rest of the peak's join them. */
const SPIKE_BASE = 50;
for (const name of ['users', 'baseline', 'peak', 'seconds', 'peak-seconds'] as const) {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of at least 1, got "${values[name]}"`);
}
if (values.scenarios.includes('spike') && Number(values.peak) <= SPIKE_BASE) {
  throw new Error(`--peak must be above ${SPIKE_BASE} for the spike scenario (its ${SPIKE_BASE} steady connections are joined by the rest of the peak's), or leave spike out of --scenarios`);
}
const PASSWORD = 'load benchmark password';
const TARGET_P95_MS = 200;
const log = (line: string) => (values.json ? process.stderr.write(`${line}\n`) : console.log(line));

interface ScenarioRow {
  scenario: string;
  connections: string;
  seconds: number;
  figures: Figures;
  note: string;
}

const children: Array<Child | undefined> = [];
let cleanup: (() => Promise<void>) | undefined;
const onSignal = async () => {
  await stopAll(children);
  await cleanup?.();
  process.exit(130);
};
process.once('SIGINT', () => void onSignal());

const rows: ScenarioRow[] = [];

/**
 * Waits until the web server has worked off what the last scenario left in flight
 * (autocannon stops sending, not the server answering): under 5 % of a core for a second.
 */
async function settled(pid: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const before = await cpuSeconds(pid);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    if ((await cpuSeconds(pid)) - before < 0.05 || Date.now() > deadline) return;
  }
}
const details: Record<string, unknown> = {};
try {
  const startedLoad = loadavg()[0]!;
  log(`Machine: ${availableParallelism()} cores (${cpus()[0]?.model}), ${round(totalmem() / 2 ** 30, 0)} GiB; load average ${round(startedLoad, 2)}.`);
  log(`dist/: ${await ensureBuild(values.build)}.`);

  const dataDir = await mkdtemp(join(tmpdir(), 'ch-bench-load-'));
  const bench = await benchEnvironment({
    CLIENT_MODE: 'off',
    RATE_LIMIT_API_PER_MIN: '0',
    // TLS ends at the proxy in front (deploy/nginx), which says so in X-Forwarded-Proto: Secure cookies as in production.
    TRUST_PROXY: 'true',
    DATA_DIR: dataDir,
    ...(values['pool-size'] ? { DATABASE_POOL_SIZE: values['pool-size'] } : {}),
  });
  cleanup = async () => {
    await bench.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  };
  log(`Database ${new URL(bench.config.database.url).pathname.slice(1)}, Redis prefix ${bench.config.redis.keyPrefix}, DATA_DIR ${dataDir}.`);

  const seed = await seedLoadData({
    databaseUrl: bench.config.database.url,
    storageRoot: join(dataDir, 'objects'),
    users: Number(values.users),
    password: PASSWORD,
    starTargetsPerUser: 4,
  });
  const c = seed.counts;
  log(`Seeded in ${round(seed.seconds)} s: ${c.users} users, ${c.concerts} concerts (${c.setlists} with setlists), ${c.photos} photos, ${c.artists} artists, ${c.venues} venues.`);
  details.seed = c;

  const worker = await startWorker(bench.env);
  children.push(worker);
  const webArgs = [...values['web-node-args'].split(' ').filter(Boolean), ...(values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir=.data/bench/load-profiles'] : [])];
  const web = await startWeb(bench.env, webArgs);
  children.push(web.child);
  const url = web.url;
  const identity = browserIdentity(url);

  const cookies = await logIn(url, identity, seed.users, PASSWORD);
  const users: SignedInUser[] = seed.users.map((user, i) => ({ ...user, cookie: cookies[i]! }));
  log(`Signed in ${users.length} users over HTTP.`);
  const sizes = await verifyMix(url, users, identity);
  log(`Every kind of request in the mix answered 200 (10 each); answer sizes before compression: ${[...sizes].map(([k, b]) => `${k} ${b} B`).join(', ')}.`);
  details.mix = MIX;
  details.answerBytes = Object.fromEntries(sizes);

  const pool = requestPool(users, identity, 50_000, values.kinds?.split(',').map((k) => k.trim()) as RequestKind[] | undefined);
  const services = await servicePids();
  const pids = { web: [web.child.process.pid!], worker: [worker.process.pid!], mariadb: services.mariadb!, redis: services.redis!, 'load tool': [process.pid] };
  const cpuAt = async () => Object.fromEntries(await Promise.all(Object.entries(pids).map(async ([n, list]) => [n, (await Promise.all(list.map(cpuSeconds))).reduce((a, b) => a + b, 0)] as const)));
  /** Runs `body` between two scrapes of the server's counters and of CPU use, and notes what they say. */
  const measured = async <T>(name: string, body: () => Promise<T>) => {
    await settled(web.child.process.pid!);
    const [before, cpuBefore, loadBefore] = [await scrape(url), await cpuAt(), loadavg()[0]!];
    const wall = performance.now();
    const result = await body();
    const seconds = (performance.now() - wall) / 1000;
    const [after, cpuAfter] = [await scrape(url), await cpuAt()];
    const server = difference(before, after);
    const cpu = Object.fromEntries(Object.keys(pids).map((n) => [n, round((cpuAfter[n]! - cpuBefore[n]!) / seconds, 2)]));
    details[name] = { ...(details[name] as object), cache: server, cpuCoresUsed: cpu, loadAverageAtStart: round(loadBefore, 2) };
    const note = `cache hits ${round(server.hitRate * 100, 0)} % of ${server.hits + server.misses} view-cache reads; CPU cores: ${Object.entries(cpu).map(([n, v]) => `${n} ${v}`).join(', ')}`;
    return { result, note, webCpuMs: (cpuAfter.web! - cpuBefore.web!) * 1000 };
  };

  const scenarios = new Set(values.scenarios.split(',').map((name) => name.trim()));
  log('Warm-up: 5 s at the baseline connections (not recorded)…');
  await drive({ url, connections: Number(values.baseline), seconds: 5, pool });

  for (const [name, connections, seconds] of [
    ['baseline', Number(values.baseline), Number(values.seconds)],
    ['peak', Number(values.peak), Number(values['peak-seconds'])],
  ] as const) {
    if (!scenarios.has(name)) continue;
    log(`${name}: ${connections} connections for ${seconds} s…`);
    const { result, note, webCpuMs } = await measured(name, () => drive({ url, connections, seconds, pool }));
    const f = figures(result.samples, result.seconds, result.noAnswer, result.bytes);
    const unanswered = result.noAnswer ? `${result.noAnswer} without an answer (${result.timeouts} timed out after 10 s); ` : '';
    rows.push({ scenario: name, connections: String(connections), seconds, figures: f, note: `${unanswered}web CPU ${round(webCpuMs / f.requests, 2)} ms a request; ${note}` });
  }

  if (scenarios.has('spike')) {
    // Spike: 50 connections browse steadily for 30 s; at 10 s, the rest of the peak's connections open at once and stay 10 s.
    const base = SPIKE_BASE;
    const surge = Number(values.peak) - base;
    log(`spike: ${base} connections for 30 s, joined by ${surge} more from 10 s to 20 s…`);
    const { result: spike, note: spikeNote } = await measured('spike', async () => {
      const t0 = performance.now();
      const steady = drive({ url, connections: base, seconds: 30, pool, t0 });
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const burst = await drive({ url, connections: surge, seconds: 10, pool, t0 });
      return { steady: await steady, burst };
    });
    const phase = (samples: Sample[], from: number, to: number) => samples.filter((s) => s.at >= from && s.at < to);
    const all = [...spike.steady.samples, ...spike.burst.samples];
    const spikeRows: Array<[string, string, Sample[], number, number]> = [
      ['spike: before (0–10 s)', String(base), phase(spike.steady.samples, 0, 10_000), 10, 0],
      ['spike: during (10–20 s), all', String(base + surge), phase(all, 10_000, 20_000), 10, spike.burst.noAnswer],
      [`spike: during, the ${base} steady ones`, String(base), phase(spike.steady.samples, 10_000, 20_000), 10, 0],
      ['spike: after (21–30 s)', String(base), phase(spike.steady.samples, 21_000, 30_000), 9, spike.steady.noAnswer],
    ];
    for (const [scenario, connections, samples, seconds, noAnswer] of spikeRows) {
      rows.push({ scenario, connections, seconds, figures: figures(samples, seconds, noAnswer), note: scenario.startsWith('spike: during (') ? `${spike.burst.noAnswer} without an answer (${spike.burst.timeouts} timed out after 10 s); ${spikeNote}` : '' });
    }
  }

  const appRows = rows.filter((row) => row.figures.bytesPerAnswer > 0);
  const averageBytes = Math.round(appRows.reduce((sum, row) => sum + row.figures.bytesPerAnswer * row.figures.requests, 0) / Math.max(1, appRows.reduce((sum, row) => sum + row.figures.requests, 0)));
  await stopAll(children.splice(0));

  if (scenarios.has('ceiling')) {
    // The ceiling: the same load tool and settings against a bare Node server, the app stopped.
    // Its answers carry ~130 B of headers where the app's carry ~800 (helmet, the session cookie): the body makes up the difference.
    const ceiling = await startCeiling(Math.max(200, averageBytes - 130));
    children.push(ceiling.child);
    for (const [name, connections, seconds] of [
      ['ceiling: bare Node http, baseline', Number(values.baseline), Number(values.seconds)],
      ['ceiling: bare Node http, peak', Number(values.peak), Number(values['peak-seconds'])],
    ] as const) {
      log(`${name}: ${connections} connections for ${seconds} s…`);
      const result = await drive({ url: `${ceiling.url}/trpc/x`, connections, seconds });
      const f = figures(result.samples, result.seconds, result.noAnswer, result.bytes);
      rows.push({ scenario: name, connections: String(connections), seconds, figures: f, note: `${Math.round(f.bytesPerAnswer)} B an answer (the app's average: ${averageBytes} B)` });
    }
    await stopAll(children.splice(0));
  }

  const byName = (n: string) => rows.find((r) => r.scenario === n)?.figures;
  const ratio = (app: string, bare: string) => {
    const [a, b] = [byName(app), byName(bare)];
    return a && b ? a.perSecond / b.perSecond : null;
  };
  const ratios = { baseline: ratio('baseline', 'ceiling: bare Node http, baseline'), peak: ratio('peak', 'ceiling: bare Node http, peak') };
  const peak = byName('peak');
  const met = peak ? peak.p95 < TARGET_P95_MS && peak.errors === 0 : null;
  details.ratios = ratios;
  details.target = { p95Ms: TARGET_P95_MS, connections: Number(values.peak), measuredP95Ms: peak?.p95 ?? null, errors: peak?.errors ?? null, met };
  details.loadAverage = { atStart: round(startedLoad, 2), atEnd: round(loadavg()[0]!, 2) };

  if (values.json) {
    console.log(JSON.stringify({ date: new Date().toISOString(), machine: { cores: availableParallelism(), model: cpus()[0]?.model }, rows, details }, null, 2));
  } else {
    console.log('\n| scenario | connections | requests/s | p50 / p95 / p99 ms | max ms | errors | requests | note |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const { scenario, connections, figures: f, note } of rows) {
      console.log(`| ${scenario} | ${connections} | ${round(f.perSecond, 0)} | ${round(f.p50, 0)} / ${round(f.p95, 0)} / ${round(f.p99, 0)} | ${round(f.max, 0)} | ${f.errors} | ${f.requests} | ${note} |`);
    }
    const percent = (value: number | null) => (value === null ? '—' : `${round(value * 100, 1)} %`);
    console.log(`\nApp / ceiling, requests/s: baseline ${percent(ratios.baseline)}, peak ${percent(ratios.peak)}.`);
    if (peak) console.log(`Target p95 < ${TARGET_P95_MS} ms at ${values.peak} connections with zero errors: ${met ? 'MET' : 'NOT MET'} (p95 ${round(peak.p95, 0)} ms, ${peak.errors} errors).`);
    for (const name of ['baseline', 'peak', 'spike']) {
      const cache = (details[name] as { cache?: ReturnType<typeof difference> } | undefined)?.cache;
      if (cache) console.log(`${name}, server time per procedure (mean ms, calls): ${cache.procedures.map((p) => `${p.name} ${round(p.meanMs)} (${p.count})`).join(', ')}`);
    }
    console.log(`Load average: ${round(startedLoad, 2)} at the start, ${round(loadavg()[0]!, 2)} at the end.`);
  }
} catch (error) {
  process.exitCode = 1;
  console.error(error);
  for (const child of children) if (child) console.error(child.output().slice(-3000));
} finally {
  await stopAll(children);
  await cleanup?.();
}
