/**
 * The production topology on one machine: two web processes and two worker
 * processes against one MariaDB and one Redis, as docs/operations.md runs them.
 * Nothing a user sees may live in one process: sessions and scan progress cross
 * servers, and stopping any process (SIGTERM, as a deploy does) loses nothing.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bullPrefix } from '../../server/queue/bullmq-options.js';
import type { ScanProgress } from '../../shared/scan.schema.js';
import { startWebProcess, stop, type Child } from '../support/child-process.js';
import { makeStagePhoto } from '../support/images.js';
import { writeTestLibrary } from '../support/photo-library.js';
import { watchScan } from '../support/scan-helpers.js';
import { testConfig, testEnv, uniqueEmail } from '../support/test-env.js';
import { CookieJar, trpcHttpClient } from '../support/trpc-http-client.js';
import { startWorkerProcess } from '../support/worker-process.js';

const PASSWORD = 'correct horse battery';
let env: Record<string, string>;
let dataDir: string;
let first: { child: Child; url: string };
let second: { child: Child; url: string };
let workers: Child[] = [];
let redis: Redis;
const queues = new Map<string, Queue>();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ch-topology-'));
  env = testEnv({ DATA_DIR: dataDir });
  [first, second, ...workers] = await Promise.all([startWebProcess(env), startWebProcess(env), startWorkerProcess(env), startWorkerProcess(env)]);
  const config = testConfig(env);
  redis = new Redis(config.redis.url);
  for (const name of ['scan', 'photo']) queues.set(name, new Queue(name, { connection: redis, prefix: bullPrefix(config) }));
}, 300_000);

afterAll(async () => {
  await Promise.all([first, second].filter(Boolean).map(({ child }) => stop(child)));
  await Promise.all(workers.map((worker) => stop(worker)));
  await Promise.all([...queues.values()].map((queue) => queue.close()));
  redis?.disconnect();
});

async function signUp(url: string) {
  const session = trpcHttpClient(url);
  const email = uniqueEmail('topology');
  const user = await session.client.auth.signup.mutate({ email, password: PASSWORD, name: 'Fan' });
  return { ...session, user, email };
}

describe('two web processes and two worker processes', () => {
  it('share one session: log in on one, auth.me answers on the other, log out on the other ends it on both', async () => {
    expect(first.url).not.toBe(second.url);
    const onFirst = await signUp(first.url);

    const onSecond = trpcHttpClient(second.url, onFirst.jar);
    expect((await onSecond.client.auth.me.query())?.email).toBe(onFirst.email);

    const cookie = onFirst.jar.cookie;
    await onSecond.client.auth.logout.mutate();
    const replay = new CookieJar();
    replay.cookie = cookie;
    expect(await trpcHttpClient(first.url, replay).client.auth.me.query()).toBeNull();
  });

  it('streams a scan started through one web server through the other, to completion', async () => {
    const onFirst = await signUp(first.url);
    const library = await writeTestLibrary(join(dataDir, 'libraries', `small-${onFirst.user.id}`));
    const { id: sourceId } = await onFirst.client.sources.addLocalFolder.mutate({ path: library.folder });
    const { scanId } = await onFirst.client.scans.start.mutate({ sourceId });

    const onSecond = trpcHttpClient(second.url, onFirst.jar);
    const snapshots = await watchScan(onSecond.client, scanId);
    const last = snapshots.at(-1)!;
    expect(last.status).toBe('completed');
    expect(last.counts).toMatchObject({ listed: library.expected.listed, processed: library.expected.processed, failed: library.expected.failed });
    expect(await onFirst.client.scans.get.query({ scanId })).toMatchObject({ status: 'completed', counts: last.counts });
  });

  it('a web server under load drains on SIGTERM: requests in flight complete, event streams end, exit 0', async () => {
    const third = await startWebProcess(env);
    const fan = await signUp(first.url);
    const cookie = fan.jar.cookie!;

    // A scan that stays queued (its queue paused) keeps a progress stream open on the third server.
    const folder = join(dataDir, 'libraries', `queued-${fan.user.id}`);
    await mkdir(folder, { recursive: true });
    const { id: sourceId } = await fan.client.sources.addLocalFolder.mutate({ path: folder });
    const scanQueue = queues.get('scan')!;
    await scanQueue.pause();
    try {
      const { scanId } = await fan.client.scans.start.mutate({ sourceId });
      const stream = await openProgressStream(third.url, cookie, scanId);

      // Background load: plain reads from several clients, each on its own connection.
      let sigtermSent = false;
      const outcomes: Array<{ status?: number; error?: string; afterSigterm: boolean }> = [];
      const loop = async () => {
        for (;;) {
          try {
            const response = await send(third.url, 'GET', '/trpc/auth.me', { cookie });
            outcomes.push({ status: response.status, afterSigterm: sigtermSent });
          } catch (error) {
            outcomes.push({ error: (error as NodeJS.ErrnoException).code ?? String(error), afterSigterm: sigtermSent });
            if (sigtermSent) return;
          }
        }
      };
      const loops = Array.from({ length: 6 }, loop);

      // Requests surely in flight: their bodies are only half sent when SIGTERM arrives.
      const inFlight = Array.from({ length: 3 }, (_, i) =>
        sendInTwoParts(
          third.url,
          '/trpc/concerts.create',
          { cookie, origin: third.url },
          JSON.stringify({
            json: { date: '2018-06-0' + (i + 1), artist: { artistName: `Draining ${fan.user.id} ${i}` } },
          }),
        ),
      );
      while (outcomes.filter((o) => o.status === 200).length < 30) await new Promise((resolve) => setTimeout(resolve, 20));
      await Promise.all(inFlight.map((r) => r.headersSent));

      sigtermSent = true;
      third.child.process.kill('SIGTERM');
      // The stream ends at once: the browser's EventSource would now reconnect to a server that stays.
      expect(await stream.ended).toBe(true);
      const exitCode = third.child.exited;
      for (const r of inFlight) r.finish();
      const answers = await Promise.all(inFlight.map((r) => r.response));
      expect(await exitCode).toBe(0);
      await Promise.all(loops);

      for (const answer of answers) {
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.body).result.data.json.id).toBeGreaterThan(0);
      }
      expect((await fan.client.concerts.list.query({})).items).toHaveLength(3);
      // Every answer the server gave was a success; the only failures came after SIGTERM, from
      // connections it no longer accepted (refused, or reset while still in the listen backlog).
      expect(outcomes.filter((o) => o.status !== undefined && o.status !== 200)).toEqual([]);
      for (const o of outcomes.filter((o) => o.error)) {
        expect(o.afterSigterm).toBe(true);
        expect(['ECONNREFUSED', 'ECONNRESET']).toContain(o.error);
      }
      expect(outcomes.filter((o) => o.status === 200).length).toBeGreaterThanOrEqual(30);
    } finally {
      await scanQueue.resume();
      if (third.child.process.exitCode === null) await stop(third.child);
    }
  });

  it('a worker stopped with SIGTERM in the middle of a scan finishes its jobs; the other worker completes the scan with every photo once', async () => {
    const fan = await signUp(first.url);
    const folder = join(dataDir, 'libraries', `big-${fan.user.id}`);
    await mkdir(folder, { recursive: true });
    const photoCount = 40;
    for (let i = 0; i < photoCount; i += 1) {
      const localTime = `2021-05-0${1 + (i % 5)}T21:${String(10 + i).padStart(2, '0')}:00`;
      const jpeg = await makeStagePhoto({ seed: 5_000 + i, width: 800, height: 600, exif: { localTime, latitude: 52.3622, longitude: 4.884 } });
      await writeFile(join(folder, `IMG_${1000 + i}.JPG`), jpeg);
    }
    const { id: sourceId } = await fan.client.sources.addLocalFolder.mutate({ path: folder });
    const { scanId } = await fan.client.scans.start.mutate({ sourceId });

    const [stopped, remaining] = workers as [Child, Child];
    let stoppedExit: Promise<number | null> | undefined;
    const snapshots: ScanProgress[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const subscription = trpcHttpClient(second.url, fan.jar).client.scans.onProgress.subscribe(
        { scanId },
        {
          onData(progress) {
            snapshots.push(progress);
            if (!stoppedExit && progress.counts.processed >= 3) stoppedExit = stop(stopped);
            if (['completed', 'failed', 'cancelled'].includes(progress.status)) {
              subscription.unsubscribe();
              resolve();
            }
          },
          onError: reject,
        },
      );
    });
    await done;
    workers = [remaining];

    expect(stoppedExit, 'the worker was stopped while the scan ran').toBeDefined();
    expect(await stoppedExit).toBe(0);
    const last = snapshots.at(-1)!;
    expect(last.status).toBe('completed');
    expect(last.counts).toMatchObject({ listed: photoCount, processed: photoCount, failed: 0 });
    expect(snapshots.some((s) => s.status === 'running' && s.counts.processed < photoCount)).toBe(true);

    const connection = await mysql.createConnection(env.DATABASE_URL!);
    try {
      const [rows] = await connection.query(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT source_file_id) AS files FROM photos WHERE user_id = ? AND source_id = ?',
        [fan.user.id, sourceId],
      );
      expect((rows as Array<{ n: number; files: number }>)[0]).toEqual({ n: photoCount, files: photoCount });
    } finally {
      await connection.end();
    }
    for (const queue of queues.values()) {
      const counts = await queue.getJobCounts('active', 'failed', 'waiting', 'delayed');
      expect(counts, queue.name).toEqual({ active: 0, failed: 0, waiting: 0, delayed: 0 });
    }
  });
});

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk) => (body += chunk));
    response.on('end', () => resolve(body));
    response.on('error', reject);
  });
}

/** One request on its own connection (no keep-alive), as many independent clients would send. */
function send(base: string, method: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers, agent: false }, (response) => {
      readBody(response).then((body) => resolve({ status: response.statusCode!, body }), reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A JSON POST whose body goes out in two parts: `finish()` sends the second. */
function sendInTwoParts(base: string, path: string, headers: Record<string, string>, body: string) {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  let finish!: () => void;
  let headersSent!: Promise<void>;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      new URL(path, base),
      { method: 'POST', agent: false, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(bytes.length) } },
      (res) => readBody(res).then((text) => resolve({ status: res.statusCode!, body: text }), reject),
    );
    req.on('error', reject);
    headersSent = new Promise((sent) => {
      // Give the server a moment to accept the connection and start reading the request.
      req.write(bytes.subarray(0, half), () => setTimeout(sent, 200));
    });
    finish = () => req.end(bytes.subarray(half));
  });
  return { response, finish, headersSent };
}

/** The scan's progress over SSE, read until its first event; `ended` settles when the server cuts the stream. */
async function openProgressStream(base: string, cookie: string, scanId: number) {
  const input = encodeURIComponent(JSON.stringify({ json: { scanId } }));
  const response = await fetch(`${base}/trpc/scans.onProgress?input=${input}`, { headers: { cookie, accept: 'text/event-stream' } });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  let text = '';
  while (!text.includes('data:')) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the progress stream ended before its first event');
    text += new TextDecoder().decode(value);
  }
  const ended = (async () => {
    try {
      for (;;) if ((await reader.read()).done) return true;
    } catch {
      return true;
    }
  })();
  return { ended };
}
