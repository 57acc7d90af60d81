/**
 * npm run bench:load [-- --users 200 --seconds 20 --peak-seconds 30 --warm-up-seconds 5 --build --json --cpu-prof]
 *
 * The built web server and worker (`node dist/…`, NODE_ENV=production) against
 * their own database seeded with a realistic history and their own Redis prefix,
 * driven by autocannon with signed-in browsers' mixed traffic (bench/load/traffic.ts):
 * baseline (100 connections), peak (1,000), and a spike (50 connections, joined by
 * 950 more at once for 10 s). Then, in the same run, a bare Node `http` server
 * answering a fixed JSON body of the app's average size with the same settings:
 * the machine's ceiling. Prints requests/s, p50/p95/p99, errors and the ratio.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
    scenarios: { type: 'string', default: 'baseline,peak,spike,open,ceiling' },
    /** Web processes (WEB_CONCURRENCY); the production default, one per core, when not given. */
    'web-processes': { type: 'string' },
    /** The open-loop scenario: requests offered a second, stepped up until p95 passes the seed's 200 ms. */
    'open-rates': { type: 'string', default: '1000,2000,2500,3000,3500,4000,5000,6000' },
    'open-seconds': { type: 'string', default: '15' },
    /** Extra Node flags for the web process, e.g. "--max-semi-space-size=32". */
    'web-node-args': { type: 'string', default: '' },
    /**
     * Seconds of the mix before anything is recorded. The run's Redis prefix is new, so the view cache starts empty;
     * a server that has been up for a while has it warm. 5 s measures a cold cache; 60 s or more, the steady state.
     */
    'warm-up-seconds': { type: 'string', default: '5' },
  },
});
/** The spike's steady connections; the rest of the peak's join them. */
const SPIKE_BASE = 50;
for (const name of ['users', 'baseline', 'peak', 'seconds', 'peak-seconds', 'warm-up-seconds'] as const) {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of at least 1, got "${values[name]}"`);
}
if (values.scenarios.includes('spike') && Number(values.peak) <= SPIKE_BASE) {
  throw new Error(
    `--peak must be above ${SPIKE_BASE} for the spike scenario (its ${SPIKE_BASE} steady connections are joined by the rest of the peak's), or leave spike out of --scenarios`,
  );
}
const PASSWORD = 'load benchmark password';
/** The seed's general latency target; the open-loop scenario steps up to where it no longer holds. */
const TARGET_P95_MS = 200;
/** Issue 15's bar for the peak (1,000 closed-loop connections) and the baseline, and the web CPU a request. */
const PEAK_TARGET = { requestsPerSecond: 2_500, p95Ms: 500 };
const BASELINE_TARGET_P95_MS = 100;
const WEB_CPU_TARGET_MS = 0.5;
const openRates = values['open-rates'].split(',').map(Number);
if (openRates.some((rate) => !Number.isInteger(rate) || rate < 1))
  throw new Error(`--open-rates must be whole numbers, got "${values['open-rates']}"`);
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
async function settled(pids: number[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  const used = async () => (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0);
  for (;;) {
    const before = await used();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    if ((await used()) - before < 0.05 * pids.length || Date.now() > deadline) return;
  }
}

/** The web tier's processes: the one started, and the processes it runs when it is a cluster's primary. */
async function webProcessIds(pid: number, expected: number): Promise<number[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
    const children = text.split(/\s+/).filter(Boolean).map(Number);
    if (expected <= 1 || children.length >= expected || Date.now() > deadline) return [pid, ...children];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
const details: Record<string, unknown> = {};
try {
  const startedLoad = loadavg()[0]!;
  log(
    `Machine: ${availableParallelism()} cores (${cpus()[0]?.model}), ${round(totalmem() / 2 ** 30, 0)} GiB; load average ${round(startedLoad, 2)}.`,
  );
  log(`dist/: ${await ensureBuild(values.build)}.`);

  const dataDir = await mkdtemp(join(tmpdir(), 'ch-bench-load-'));
  const bench = await benchEnvironment({
    CLIENT_MODE: 'off',
    RATE_LIMIT_API_PER_MIN: '0',
    // TLS ends at the proxy in front (deploy/nginx), which says so in X-Forwarded-Proto: Secure cookies as in production.
    TRUST_PROXY: 'true',
    DATA_DIR: dataDir,
    ...(values['pool-size'] ? { DATABASE_POOL_SIZE: values['pool-size'] } : {}),
    ...(values['web-processes'] ? { WEB_CONCURRENCY: values['web-processes'] } : {}),
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
  log(
    `Seeded in ${round(seed.seconds)} s: ${c.users} users, ${c.concerts} concerts (${c.setlists} with setlists), ${c.photos} photos, ${c.artists} artists, ${c.venues} venues.`,
  );
  details.seed = c;

  const worker = await startWorker(bench.env);
  children.push(worker);
  const webArgs = [
    ...values['web-node-args'].split(' ').filter(Boolean),
    ...(values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir=.data/bench/load-profiles'] : []),
  ];
  const web = await startWeb(bench.env, webArgs);
  children.push(web.child);
  const url = web.url;
  const identity = browserIdentity(url);

  const cookies = await logIn(url, identity, seed.users, PASSWORD);
  const users: SignedInUser[] = seed.users.map((user, i) => ({ ...user, cookie: cookies[i]! }));
  log(`Signed in ${users.length} users over HTTP.`);
  const sizes = await verifyMix(url, users, identity);
  log(
    `Every kind of request in the mix answered 200 (10 each); answer sizes before compression: ${[...sizes].map(([k, b]) => `${k} ${b} B`).join(', ')}.`,
  );
  details.mix = MIX;
  details.answerBytes = Object.fromEntries(sizes);

  const pool = requestPool(users, identity, 50_000, values.kinds?.split(',').map((k) => k.trim()) as RequestKind[] | undefined);
  const services = await servicePids();
  const webProcesses = Number(values['web-processes'] ?? availableParallelism());
  const webPids = await webProcessIds(web.child.process.pid!, webProcesses);
  log(`Web tier: ${webProcesses} process${webProcesses > 1 ? 'es on one port (node:cluster)' : ''}, pids ${webPids.join(', ')}.`);
  details.webProcesses = webProcesses;
  const pids = {
    web: webPids,
    worker: [worker.process.pid!],
    mariadb: services.mariadb!,
    redis: services.redis!,
    'load tool': [process.pid],
  };
  /** CPU seconds of every process so far, by pid (a process gone, e.g. another suite's private Redis, is left out). */
  const cpuAt = async () => {
    const seconds = new Map<number, number>();
    await Promise.all(
      Object.values(pids)
        .flat()
        .map(async (pid) =>
          cpuSeconds(pid).then(
            (s) => seconds.set(pid, s),
            () => {},
          ),
        ),
    );
    return seconds;
  };
  /** Cores each group of processes used between two readings, counting only processes present in both. */
  const coresUsed = (before: Map<number, number>, after: Map<number, number>, seconds: number) =>
    Object.fromEntries(
      Object.entries(pids).map(([name, list]) => {
        const used = list.reduce((sum, pid) => (before.has(pid) && after.has(pid) ? sum + after.get(pid)! - before.get(pid)! : sum), 0);
        return [name, used / seconds] as const;
      }),
    );
  /** Runs `body` between two scrapes of the server's counters and of CPU use, and notes what they say. */
  const measured = async <T>(name: string, body: () => Promise<T>) => {
    await settled(webPids);
    const [before, cpuBefore, loadBefore] = [await scrape(url), await cpuAt(), loadavg()[0]!];
    const wall = performance.now();
    const result = await body();
    const seconds = (performance.now() - wall) / 1000;
    const [after, cpuAfter] = [await scrape(url), await cpuAt()];
    const server = difference(before, after);
    const used = coresUsed(cpuBefore, cpuAfter, seconds);
    const cpu = Object.fromEntries(Object.entries(used).map(([n, cores]) => [n, round(cores, 2)]));
    details[name] = { ...(details[name] as object), cache: server, cpuCoresUsed: cpu, loadAverageAtStart: round(loadBefore, 2) };
    const note = `cache hits ${round(server.hitRate * 100, 0)} % of ${server.hits + server.misses} view-cache reads; CPU cores: ${Object.entries(cpu)
      .map(([n, v]) => `${n} ${v}`)
      .join(', ')}`;
    return { result, note, webCpuMs: used.web! * seconds * 1000 };
  };

  const scenarios = new Set(values.scenarios.split(',').map((name) => name.trim()));
  const warmUpSeconds = Number(values['warm-up-seconds']);
  log(`Warm-up: ${warmUpSeconds} s at the baseline connections (not recorded)…`);
  await drive({ url, connections: Number(values.baseline), seconds: warmUpSeconds, pool });

  for (const [name, connections, seconds] of [
    ['baseline', Number(values.baseline), Number(values.seconds)],
    ['peak', Number(values.peak), Number(values['peak-seconds'])],
  ] as const) {
    if (!scenarios.has(name)) continue;
    log(`${name}: ${connections} connections for ${seconds} s…`);
    const { result, note, webCpuMs } = await measured(name, () => drive({ url, connections, seconds, pool }));
    const f = figures(result.samples, result.seconds, result.noAnswer, result.bytes);
    const unanswered = result.noAnswer ? `${result.noAnswer} without an answer (${result.timeouts} timed out after 10 s); ` : '';
    rows.push({
      scenario: name,
      connections: String(connections),
      seconds,
      figures: f,
      note: `${unanswered}web CPU ${round(webCpuMs / f.requests, 2)} ms a request; ${note}`,
    });
    details[name] = { ...(details[name] as object), webCpuMsPerRequest: webCpuMs / Math.max(1, f.requests) };
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
      rows.push({
        scenario,
        connections,
        seconds,
        figures: figures(samples, seconds, noAnswer),
        note: scenario.startsWith('spike: during (')
          ? `${spike.burst.noAnswer} without an answer (${spike.burst.timeouts} timed out after 10 s); ${spikeNote}`
          : '',
      });
    }
  }

  let openHeld: { rate: number; figures: Figures } | null = null;
  if (scenarios.has('open')) {
    // Open loop, as the seed states its peak: requests arrive at a fixed rate whatever the answers do (autocannon's
    // overallRate over the peak's connections, enough that none waits for a free one below a second's latency).
    for (const rate of openRates) {
      const name = `open loop: ${rate}/s offered`;
      log(`${name} for ${values['open-seconds']} s…`);
      const { result, note, webCpuMs } = await measured(name, () =>
        drive({ url, connections: Number(values.peak), seconds: Number(values['open-seconds']), pool, rate }),
      );
      const f = figures(result.samples, result.seconds, result.noAnswer, result.bytes);
      const held = f.p95 <= TARGET_P95_MS && f.errors === 0 && f.perSecond >= rate * 0.95;
      rows.push({
        scenario: name,
        connections: values.peak,
        seconds: result.seconds,
        figures: f,
        note: `${held ? 'held' : 'not held'}; web CPU ${round(webCpuMs / Math.max(1, f.requests), 2)} ms a request; ${note}`,
      });
      if (!held) break;
      openHeld = { rate, figures: f };
    }
    details.openLoop = { targetP95Ms: TARGET_P95_MS, highestRateHeld: openHeld?.rate ?? null, goal: 5_000 };
  }

  const appRows = rows.filter((row) => row.figures.bytesPerAnswer > 0);
  const averageBytes = Math.round(
    appRows.reduce((sum, row) => sum + row.figures.bytesPerAnswer * row.figures.requests, 0) /
      Math.max(
        1,
        appRows.reduce((sum, row) => sum + row.figures.requests, 0),
      ),
  );
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
      rows.push({
        scenario: name,
        connections: String(connections),
        seconds,
        figures: f,
        note: `${Math.round(f.bytesPerAnswer)} B an answer (the app's average: ${averageBytes} B)`,
      });
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
  const baseline = byName('baseline');
  const scenarioDetails = (name: string) => details[name] as { webCpuMsPerRequest?: number; cache?: ReturnType<typeof difference> } | undefined;
  const peakCpuMs = scenarioDetails('peak')?.webCpuMsPerRequest ?? null;
  const peakHitRate = scenarioDetails('peak')?.cache?.hitRate ?? null;
  const targets = [
    peak && {
      what: `peak (${values.peak} connections): ≥ ${PEAK_TARGET.requestsPerSecond} requests/s, p95 ≤ ${PEAK_TARGET.p95Ms} ms, 0 errors`,
      measured: `${round(peak.perSecond, 0)} requests/s, p95 ${round(peak.p95, 0)} ms, ${peak.errors} errors`,
      met: peak.perSecond >= PEAK_TARGET.requestsPerSecond && peak.p95 <= PEAK_TARGET.p95Ms && peak.errors === 0,
    },
    baseline && {
      what: `baseline (${values.baseline} connections): p95 ≤ ${BASELINE_TARGET_P95_MS} ms`,
      measured: `p95 ${round(baseline.p95, 0)} ms`,
      met: baseline.p95 <= BASELINE_TARGET_P95_MS,
    },
    peakCpuMs !== null && {
      what: `web CPU a request at the peak ≤ ${WEB_CPU_TARGET_MS} ms`,
      measured: `${round(peakCpuMs, 2)} ms`,
      met: peakCpuMs <= WEB_CPU_TARGET_MS,
    },
    peakHitRate !== null && { what: 'view-cache hit rate at the peak ≥ 90 %', measured: `${round(peakHitRate * 100, 1)} %`, met: peakHitRate >= 0.9 },
    scenarios.has('open') && {
      what: `open loop: highest rate held with p95 ≤ ${TARGET_P95_MS} ms (the seed's goal: 5,000/s)`,
      measured: openHeld ? `${openHeld.rate}/s (p95 ${round(openHeld.figures.p95, 0)} ms)` : 'none of the rates tried',
      met: (openHeld?.rate ?? 0) >= 5_000,
    },
  ].filter((target): target is { what: string; measured: string; met: boolean } => Boolean(target));
  details.ratios = ratios;
  details.targets = targets;
  details.loadAverage = { atStart: round(startedLoad, 2), atEnd: round(loadavg()[0]!, 2) };

  if (values.json) {
    console.log(
      JSON.stringify({ date: new Date().toISOString(), machine: { cores: availableParallelism(), model: cpus()[0]?.model }, rows, details }, null, 2),
    );
  } else {
    console.log('\n| scenario | connections | requests/s | p50 / p95 / p99 ms | max ms | errors | requests | note |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const { scenario, connections, figures: f, note } of rows) {
      console.log(
        `| ${scenario} | ${connections} | ${round(f.perSecond, 0)} | ${round(f.p50, 0)} / ${round(f.p95, 0)} / ${round(f.p99, 0)} | ${round(f.max, 0)} | ${f.errors} | ${f.requests} | ${note} |`,
      );
    }
    const percent = (value: number | null) => (value === null ? '—' : `${round(value * 100, 1)} %`);
    console.log(`\nApp / ceiling, requests/s: baseline ${percent(ratios.baseline)}, peak ${percent(ratios.peak)}.`);
    for (const target of targets) console.log(`Target ${target.what}: ${target.met ? 'MET' : 'NOT MET'} (${target.measured}).`);
    for (const name of ['baseline', 'peak', 'spike']) {
      const cache = (details[name] as { cache?: ReturnType<typeof difference> } | undefined)?.cache;
      if (cache)
        console.log(
          `${name}, server time per procedure (mean ms, calls): ${cache.procedures.map((p) => `${p.name} ${round(p.meanMs)} (${p.count})`).join(', ')}`,
        );
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
