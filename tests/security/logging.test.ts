/**
 * Logs never hold the values of a query: the slow-query log writes statements with
 * their placeholders, and a failed query is logged with its statement only. Checked
 * with every query logged as slow, across a sign-up and logins.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../drizzle/schema/index.js';
import { createApp } from '../../server/app.js';
import { createWebRuntime, type WebRuntime } from '../../server/bootstrap.js';
import { maskLiterals } from '../../server/db/client.js';
import { createLogger } from '../../server/logger.js';
import { waitForRedis } from '../../server/redis.js';
import { testConfig, uniqueEmail } from '../support/test-env.js';
import { trpcFailure, trpcHttpClient } from '../support/trpc-http-client.js';

const PASSWORD = 'a password nobody should read 7';
const lines: string[] = [];
let dataDir: string;
let runtime: WebRuntime;
let server: Server;
let closeClient: () => Promise<void>;
let url: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ch-logging-'));
  const config = testConfig({ DATA_DIR: dataDir, RATE_LIMIT_API_PER_MIN: '0' });
  // Every query is "slow": all of them are logged.
  config.database.slowQueryMs = Number.MIN_VALUE;
  const logger = createLogger({ logLevel: 'warn' }, {}, { write: (line: string) => void lines.push(line) });
  runtime = createWebRuntime(config, logger);
  await waitForRedis(runtime.redis);
  const created = await createApp({ config, logger, runtime });
  closeClient = created.close;
  server = await new Promise((resolve) => {
    const s = created.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await closeClient?.();
  await runtime?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const logged = () => lines.map((line) => JSON.parse(line) as { msg: string; sql?: string; err?: { message: string; stack: string } });

describe('the logs', () => {
  it('hold the statements of slow queries with placeholders, never a password hash or an e-mail address', async () => {
    const email = uniqueEmail('logged');
    const { client } = trpcHttpClient(url);
    await client.auth.signup.mutate({ email, password: PASSWORD, name: 'Logged Fan' });
    await trpcFailure(trpcHttpClient(url).client.auth.login.mutate({ email, password: 'not the password' }));
    await trpcHttpClient(url).client.auth.login.mutate({ email, password: PASSWORD });
    const [row] = await runtime.database.db.select({ hash: users.passwordHash }).from(users).where(eq(users.email, email));
    expect(row!.hash).toMatch(/^\$argon2/);

    const everything = lines.join('\n');
    for (const secret of [email, email.split('@')[0]!, row!.hash, row!.hash.split('$').pop()!, PASSWORD, 'Logged Fan']) {
      expect(everything, secret).not.toContain(secret);
    }
    // The control: the sign-up's insert and the login's lookup were logged, as statements.
    const slow = logged().filter((entry) => entry.msg === 'slow query');
    expect(slow.some((entry) => /^insert into `users`/i.test(entry.sql!) && entry.sql!.includes('?'))).toBe(true);
    expect(slow.some((entry) => /from `users`/i.test(entry.sql!) && /`email` = \?/.test(entry.sql!))).toBe(true);
  });

  it('log a failed query with its statement but none of its values', async () => {
    const email = uniqueEmail('duplicate');
    const values = { email, name: 'Twice', passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo' };
    await runtime.database.db.insert(users).values(values);
    const error = await runtime.database.db
      .insert(users)
      .values(values)
      .catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain(email);

    const logger = createLogger({ logLevel: 'error' }, {}, { write: (line: string) => void lines.push(line) });
    logger.error({ err: error }, 'procedure failed');
    logger.error({ err: (error as Error).message }, 'procedure failed, as text');
    const [asError, asText] = logged().slice(-2);
    expect(asError!.err!.message).toMatch(/^Failed query: insert into `users`/);
    expect(asError!.err!.message).toMatch(/Duplicate entry '\?' for key/);
    expect(asError!.err!.stack).toMatch(/\n\s+at /);
    const both = JSON.stringify([asError, asText]);
    for (const secret of [email, values.passwordHash, 'aGFzaGhhc2hoYXNo']) expect(both, secret).not.toContain(secret);
  });

  it('mask literals written into a statement', () => {
    expect(maskLiterals("select * from `users` where `email` = 'a@b.example' and `x` = \"y\" and `h` = x'00ff' and `n` = 0x1f")).toBe(
      'select * from `users` where `email` = ? and `x` = ? and `h` = ? and `n` = ?',
    );
    expect(maskLiterals("update t set v = 'it''s \\' quoted' where id = ?")).toBe('update t set v = ? where id = ?');
  });
});
