/** Shared plumbing for the benchmarks: a throwaway database and Redis prefix, a worker process, stats, the 12-MP library. */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig, type AppConfig } from '../server/config.js';
import { dropDatabase, migrateDatabase } from '../server/db/migrate.js';
import { ensureDemoLibrary } from '../scripts/demo-library/generate.js';

export interface BenchEnvironment {
  env: Record<string, string>;
  config: AppConfig;
  cleanup(): Promise<void>;
}

export async function benchEnvironment(overrides: Record<string, string>): Promise<BenchEnvironment> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const env = {
    NODE_ENV: 'production',
    SESSION_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'warn',
    CLIENT_MODE: 'off',
    DATABASE_URL: `mysql://root@127.0.0.1:3306/ch_bench_${runId}`,
    REDIS_KEY_PREFIX: `chbench-${runId}`,
    ...overrides,
  };
  const config = loadConfig(env);
  await migrateDatabase(config.database.url);
  return {
    env,
    config,
    async cleanup() {
      await dropDatabase(config.database.url);
      const redis = new Redis(config.redis.url);
      for await (const keys of redis.scanStream({ match: `${config.redis.keyPrefix}*`, count: 1000 })) {
        if ((keys as string[]).length) await redis.del(...(keys as string[]));
      }
      redis.disconnect();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Peak resident memory of a process (VmHWM), in MiB. */
export async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kib / 1024);
}

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** CPU seconds (user + system) a process has used so far, from /proc. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Pids of the local services a pipeline run leans on, found by their executable names. */
export async function servicePids(): Promise<Record<string, number[]>> {
  const { readdir } = await import('node:fs/promises');
  const found: Record<string, number[]> = { mariadb: [], redis: [] };
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const name = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (/^(mariadbd|mysqld)/.test(name)) found.mariadb!.push(Number(entry));
    if (/^redis-server/.test(name)) found.redis!.push(Number(entry));
  }
  return found;
}

/** The 12-megapixel demo library the benchmarks share (generated once into .data/bench), and its manifest. */
export async function twelveMegapixelLibrary(photos: number) {
  const dir = join('.data', 'bench', `library-12mp-${photos}`);
  console.log(`Checking ${photos}+ 12-MP photos in ${dir} (generated once)…`);
  const { manifest } = await ensureDemoLibrary(dir, { size: '12mp', concerts: 2, photosPerConcert: Math.max(4, Math.ceil(photos / 2)) });
  return { dir, manifest };
}
