/**
 * The database drops connections (a failover, a proxy restart, an operator's
 * KILL): every connection the web app and the workers hold to this file's own
 * database is killed several times during a scan. Queries in flight fail, their
 * jobs retry with backoff on fresh connections, and the result is exact.
 */
import mysql from 'mysql2/promise';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Child } from '../support/child-process.js';
import { ownDatabase } from '../support/own-database.js';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { startWorkerProcess, stop } from '../support/worker-process.js';
import { expectExactlyOnce, signUpAndAddLibrary, waitForDone, waitForEnd, writeFaultLibrary, type FaultLibrary } from './fault-scan.js';

let library: FaultLibrary;
let database: Awaited<ReturnType<typeof ownDatabase>>;
let app: RunningApp;
let worker: Child;
let admin: mysql.Connection;

beforeAll(async () => {
  library = await writeFaultLibrary('db', { photos: 96, copies: 4, seed: 1_000 });
  // A database of this file's own, so the kills never reach other test files' connections.
  database = await ownDatabase('faults_db');
  const env = testEnv({
    DATABASE_URL: database.url,
    LOCAL_IMPORT_ROOTS: library.root,
    DATA_DIR: library.dataDir,
    RATE_LIMIT_API_PER_MIN: '0',
    WORKER_LOCK_DURATION_MS: '2000',
    WORKER_CONCURRENCY: 'photo=2',
  });
  app = await startTestApp(env);
  worker = await startWorkerProcess(env);
  admin = await mysql.createConnection({ uri: database.url.replace(/\/[^/]+$/, '/') });
}, 240_000);
afterAll(async () => {
  if (worker) await stop(worker);
  await app?.close();
  await admin?.end();
  await database?.drop();
  if (library) await rm(library.root, { recursive: true, force: true });
});

/** KILL CONNECTION on every connection to the test's database but our own; how many were killed. */
async function dropConnections(): Promise<number> {
  const name = new URL(database.url).pathname.slice(1);
  const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [
    name,
  ]);
  let killed = 0;
  for (const { ID } of rows) {
    try {
      await admin.query(`KILL CONNECTION ${Number(ID)}`);
      killed += 1;
    } catch {
      // It closed by itself meanwhile.
    }
  }
  return killed;
}

describe('database connections dropped', () => {
  it('a scan whose database connections are killed again and again completes with every photo exactly once', async () => {
    const { client, user, sourceId } = await signUpAndAddLibrary(app, library.folder);
    const { scanId } = await client.scans.start.mutate({ sourceId });
    const files = library.expected.files;
    let killed = 0;
    for (const share of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      await waitForDone(client, scanId, Math.floor(files * share));
      killed += await dropConnections();
    }
    // And while the scan groups duplicates and matches concerts.
    await waitForDone(client, scanId, files);
    killed += await dropConnections();
    // The web app's and the worker's pools both had connections to lose.
    expect(killed).toBeGreaterThanOrEqual(6);

    await waitForEnd(client, scanId);
    expect(worker.process.exitCode).toBeNull();
    await expectExactlyOnce(app, { client, userId: user.id, sourceId, scanId }, library);
  }, 240_000);
});
