/**
 * npm run bench:data [-- --runs 200 --reseed --json]
 *
 * Scale of data (issue 8): one heavy user (100,000 photos over 2,000 concerts)
 * among 10,000 users, in a database of its own (concert_history_bench_data,
 * seeded once and reused). Times the services behind the timeline, concert page,
 * stats, unmatched photos, review inbox and duplicate groups with the view cache
 * off (every call reaches MariaDB), shows with EXPLAIN which index each statement
 * uses — exiting 1 if one reads a whole user-scoped table — times the
 * near-duplicate search over the heavy user's library at several sizes, and the
 * whole dedup stage (reads, plan, writes) on thousands of near-identical photos.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { concertListInput } from '../shared/concert.schema.js';
import { inboxListInput } from '../shared/inbox.schema.js';
import { photoListInput } from '../shared/photo.schema.js';
import { loadConfig } from '../server/config.js';
import { createDatabase } from '../server/db/client.js';
import { createLogger } from '../server/logger.js';
import { growthExponent, median, summarize, type LatencySummary } from './data/figures.js';
import { DEFAULT_SEED } from './data/library-generator.js';
import { searchLibrary, timeDedupStage, type NearDuplicateSearch } from './data/near-duplicates.js';
import { describePlan, explain, fullScans, recordStatements, type PlanRow } from './data/query-plans.js';
import { readServices } from './data/read-services.js';
import { ensureSeeded } from './data/seed.js';
import { round } from './support.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    reseed: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    users: { type: 'string', default: String(DEFAULT_SEED.users) },
    'heavy-photos': { type: 'string', default: String(DEFAULT_SEED.heavyPhotos) },
    'heavy-concerts': { type: 'string', default: String(DEFAULT_SEED.heavyConcerts) },
    /** Library sizes for the near-duplicate search: the first n of the heavy user's photos, by id (the library as it stood earlier). */
    sizes: { type: 'string', default: '25000,50000,100000' },
    'search-repeats': { type: 'string', default: '1' },
    /** Near-identical photos in one scan for the whole dedup stage (issue 14: 2,000 took 71 s before). */
    'dedup-sizes': { type: 'string', default: '2000,10000' },
    database: { type: 'string', default: 'concert_history_bench_data' },
  },
});
const TARGET_P95_MS = 50;
const params = {
  ...DEFAULT_SEED,
  users: Number(values.users),
  heavyPhotos: Number(values['heavy-photos']),
  heavyConcerts: Number(values['heavy-concerts']),
};
const config = loadConfig({
  NODE_ENV: 'production',
  SESSION_SECRET: randomBytes(24).toString('hex'),
  LOG_LEVEL: 'warn',
  CLIENT_MODE: 'off',
  DATABASE_URL: `mysql://root@127.0.0.1:3306/${values.database}`,
  DATABASE_SLOW_QUERY_MS: '0',
});
const log = (line: string) => (values.json ? console.error(line) : console.log(line));

const loadAtStart = loadavg();
log(
  `Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${round(totalmem() / 2 ** 30, 0)} GiB; load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}`,
);
log(`Database ${values.database}: ${values.reseed ? 'seeding again (--reseed)' : 'reused when seeded with the same parameters'}…`);
const seed = await ensureSeeded(config.database.url, params, values.reseed);
log(
  `${seed.reused ? 'Reused' : 'Seeded'} in ${round(seed.seconds)} s: ${Object.entries(seed.counts)
    .map(([t, n]) => `${n.toLocaleString('en')} ${t}`)
    .join(', ')}`,
);

const database = createDatabase(config.database, createLogger({ logLevel: 'warn' }));
const recorder = recordStatements(database.primaryCorePool);
const services = readServices(config, database.db);
const user = seed.heavyUserId;
const inspector = await mysql.createConnection({ uri: config.database.url });
const one = async <T>(sql: string, args: unknown[]) => ((await inspector.query(sql, args))[0] as T[])[0]!;

// What the timed calls ask for, found once (untimed): the heavy user's biggest concert, busiest year, a deep cursor and a search term.
const biggest = await one<{ id: number; n: number }>(
  'SELECT concert_id AS id, COUNT(*) AS n FROM photos WHERE user_id = ? AND concert_id IS NOT NULL GROUP BY concert_id ORDER BY n DESC LIMIT 1',
  [user],
);
const busiestYear = (await services.concerts.years(user)).reduce((a, b) => (b.count > a.count ? b : a));
let deepCursor: string | undefined;
for (let seen = 0; seen < Math.floor(params.heavyConcerts * 0.75); seen += 100) {
  deepCursor = (await services.concerts.list(user, concertListInput.parse({ limit: 100, cursor: deepCursor }))).nextCursor ?? undefined;
}
const summary = await services.stats.summary(user);
const searchTerm = summary.topArtists[Math.min(9, summary.topArtists.length - 1)]!.name.split(' ').at(-1)!;

interface Step {
  name: string;
  call: string;
  run: () => Promise<unknown>;
}
const steps: Step[] = [
  { name: 'timeline, first page', call: 'concerts.list {limit: 20}', run: () => services.concerts.list(user, concertListInput.parse({})) },
  {
    name: 'timeline, deep page',
    call: `concerts.list {cursor} after ${Math.floor(params.heavyConcerts * 0.75)} concerts`,
    run: () => services.concerts.list(user, concertListInput.parse({ cursor: deepCursor })),
  },
  {
    name: 'timeline, year filter',
    call: `concerts.list {year: ${busiestYear.year}} (${busiestYear.count} concerts)`,
    run: () => services.concerts.list(user, concertListInput.parse({ year: busiestYear.year })),
  },
  {
    name: 'timeline, search',
    call: `concerts.list {q: "${searchTerm}"}`,
    run: () => services.concerts.list(user, concertListInput.parse({ q: searchTerm })),
  },
  { name: 'concert page', call: `concerts.get {id} (${biggest.n} photos)`, run: () => services.concerts.get(user, biggest.id) },
  {
    name: 'concert page, photos',
    call: 'photos.list {concertId} (first 60)',
    run: () => services.photoCuration.list(user, photoListInput.parse({ concertId: biggest.id })),
  },
  { name: 'stats', call: 'stats.summary', run: () => services.stats.summary(user) },
  {
    name: 'unmatched photos',
    call: 'photos.list {unmatched: true} (first 60)',
    run: () => services.photoCuration.list(user, photoListInput.parse({ unmatched: true })),
  },
  { name: 'review inbox', call: 'inbox.list {limit: 30}', run: () => services.inbox.list(user, inboxListInput.parse(undefined).limit) },
  { name: 'duplicate groups', call: 'photos.duplicates {limit: 50}', run: () => services.duplicates.listOpen(user, 50) },
];

log('\nEXPLAIN of every statement each path sends…');
const plans = new Map<string, { statements: number; plan: PlanRow[] }>();
for (const step of steps) {
  const statements = await recorder.of(step.run);
  const plan = (await Promise.all(statements.map((statement) => explain(inspector, statement)))).flat();
  plans.set(step.name, { statements: statements.length, plan });
}

const runs = Number(values.runs);
const warmup = Number(values.warmup);
log(`Timing: ${warmup} warm-up rounds, then ${runs} rounds; each round calls every path once, in turn (view cache off)…`);
const durations = new Map<string, number[]>(steps.map((step) => [step.name, []]));
for (let round = 0; round < warmup + runs; round++) {
  for (const step of steps) {
    const started = performance.now();
    await step.run();
    if (round >= warmup) durations.get(step.name)!.push(performance.now() - started);
  }
}
const latencies = new Map<string, LatencySummary>(steps.map((step) => [step.name, summarize(durations.get(step.name)!)]));

log('Near-duplicate search over the heavy user’s library…');
const readStarted = performance.now();
const library = (await services.duplicateGroups.comparablePhotos(user)).sort((a, b) => a.id - b.id);
const readSeconds = (performance.now() - readStarted) / 1000;
// A size beyond the library (100,000 photos, of which the failed and hidden copies are not compared) means all of it.
const sizes = [...new Set(values.sizes.split(',').map((n) => Math.min(Number(n), library.length)))].filter((n) => n > 0).sort((a, b) => a - b);
const searches: NearDuplicateSearch[] = [];
for (const n of sizes) {
  const repeats = Array.from({ length: Number(values['search-repeats']) }, () => searchLibrary(library.slice(0, n)));
  searches.push({ ...repeats[0]!, seconds: median(repeats.map((r) => r.seconds)) });
}
log('Dedup stage on near-identical photos of a new user (written, then removed)…');
const dedupStage = await timeDedupStage(
  config,
  values['dedup-sizes']
    .split(',')
    .map(Number)
    .filter((n) => n > 0),
);
const first = searches[0];
const last = searches.at(-1);
const exponent =
  first && last && last.photos > first.photos
    ? growthExponent({ n: first.photos, seconds: first.seconds }, { n: last.photos, seconds: last.seconds })
    : Number.NaN;
const loadAtEnd = loadavg();

const failures = steps.flatMap((step) =>
  fullScans(plans.get(step.name)!.plan).map(
    (row) => `${step.name}: ${row.table} read whole (type ${row.type}${row.key ? `, ${row.key}` : ''}, ~${row.rows} rows)`,
  ),
);
const report = {
  date: new Date().toISOString().slice(0, 10),
  machine: { cores: availableParallelism(), memoryGiB: round(totalmem() / 2 ** 30, 0), loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd } },
  seed: { ...params, heavyUserId: user, reused: seed.reused, counts: seed.counts },
  paths: steps.map((step) => ({
    name: step.name,
    call: step.call,
    ...latencies.get(step.name)!,
    met: latencies.get(step.name)!.p95 < TARGET_P95_MS,
    statements: plans.get(step.name)!.statements,
    plan: describePlan(plans.get(step.name)!.plan),
  })),
  nearDuplicates: { readSeconds, searches, exponent },
  dedupStage,
  fullScans: failures,
};

if (values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const ms = (value: number) => value.toFixed(1);
  console.log(`\n| path | call | p50 ms | p95 ms | max ms | p95 < ${TARGET_P95_MS} ms |`);
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const path of report.paths)
    console.log(`| ${path.name} | \`${path.call}\` | ${ms(path.p50)} | ${ms(path.p95)} | ${ms(path.max)} | ${path.met ? 'met' : '**not met**'} |`);
  console.log('\nIndexes used (EXPLAIN of each statement; derived tables and JSON_TABLE left out):\n');
  for (const path of report.paths) console.log(`- ${path.name} (${path.statements} statements): ${[...new Set(path.plan)].join('; ')}`);
  console.log(
    `\nNear-duplicate search (read of the library: ${round(readSeconds, 2)} s for ${library.length.toLocaleString('en')} photos; median of ${values['search-repeats']} runs):\n`,
  );
  console.log('| photos | seconds | candidates | related pairs |');
  console.log('| --- | --- | --- | --- |');
  for (const s of searches)
    console.log(
      `| ${s.photos.toLocaleString('en')} | ${round(s.seconds, 2)} | ${s.candidates.toLocaleString('en')} | ${s.related.toLocaleString('en')} |`,
    );
  console.log(
    `\nGrowth exponent ${first?.photos.toLocaleString('en')} → ${last?.photos.toLocaleString('en')} photos: ${round(exponent, 2)} (${exponent < 2 ? 'sub-quadratic' : 'NOT sub-quadratic'}; 1 = linear, 2 = all pairs)`,
  );
  console.log('\nDedup stage (DedupService.run) on near-identical photos of one scan, every pair within 6 bits:\n');
  console.log('| photos | taken | seconds (whole stage) | plan alone, in memory | SQL statements | groups | photos grouped |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const d of dedupStage) {
    console.log(
      `| ${d.photos.toLocaleString('en')} | ${d.scenario} | ${round(d.seconds, 2)} | ${round(d.planSeconds, 2)} | ${d.statements} | ${d.groups.toLocaleString('en')} | ${d.groupedPhotos.toLocaleString('en')} |`,
    );
  }
  console.log(`Load average at end: ${loadAtEnd.map((l) => l.toFixed(2)).join(' ')}`);
}

await inspector.end();
services.close();
await database.close();
if (failures.length) {
  console.error(`\nFull scans of user-scoped tables:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
