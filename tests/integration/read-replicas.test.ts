/**
 * Reads go to a replica when one is configured, and after a user's own write that
 * user's reads go to the primary for DATABASE_READ_YOUR_WRITES_MS. The "replica"
 * here is a second database that nothing replicates to: a replica lagging forever,
 * so any read that reaches it is plain to see.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type RunningApp } from '../support/test-app.js';
import { ownDatabase } from '../support/own-database.js';
import { uniqueEmail } from '../support/test-env.js';
import { trpcHttpClient } from '../support/trpc-http-client.js';

let app: RunningApp;
let replica: Awaited<ReturnType<typeof ownDatabase>>;
beforeAll(async () => {
  replica = await ownDatabase('lagging_replica');
  app = await startTestApp({
    DATA_DIR: await mkdtemp(join(tmpdir(), 'ch-data-')),
    DATABASE_REPLICA_URLS: replica.url,
    DATABASE_READ_YOUR_WRITES_MS: '1500',
  });
});
afterAll(async () => {
  await app?.close();
  await replica?.drop();
});

async function userWithLibrary(label: string) {
  const { client } = trpcHttpClient(app.url);
  await client.auth.signup.mutate({ email: uniqueEmail(label), password: 'correct horse battery', name: 'Fan' });
  const folder = join(app.config.dataDir, 'libraries', label);
  await mkdir(folder, { recursive: true });
  const { id } = await client.sources.addLocalFolder.mutate({ path: folder });
  return { client, sourceId: id };
}

const sourceIds = async (client: ReturnType<typeof trpcHttpClient>['client']) => (await client.sources.list.query()).map((s) => s.id);

describe('read replicas with read-your-writes', () => {
  it("reads the primary right after the user's own write, then the replica once the window has passed", async () => {
    const { client, sourceId } = await userWithLibrary('ryw');
    // Right after the write: the primary, which has the new library.
    expect(await sourceIds(client)).toEqual([sourceId]);

    // Later: the replica, which never received it.
    await vi.waitFor(async () => expect(await sourceIds(client)).toEqual([]), { timeout: 30_000, interval: 200 });

    // A new write opens the window again.
    const folder = join(app.config.dataDir, 'libraries', 'ryw-2');
    await mkdir(folder, { recursive: true });
    const second = await client.sources.addLocalFolder.mutate({ path: folder });
    expect((await sourceIds(client)).sort()).toEqual([sourceId, second.id].sort());
  });

  it('does not send other users to the primary when one user writes', async () => {
    const quiet = await userWithLibrary('ryw-quiet');
    await vi.waitFor(async () => expect(await sourceIds(quiet.client)).toEqual([]), { timeout: 30_000, interval: 200 });
    const busy = await userWithLibrary('ryw-busy');
    expect(await sourceIds(busy.client)).toEqual([busy.sourceId]);
    expect(await sourceIds(quiet.client)).toEqual([]);
  });
});
