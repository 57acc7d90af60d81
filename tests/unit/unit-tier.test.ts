/**
 * The unit tier's guard (tests/support/unit-tier.ts, the unit project's setup file) is real: inside
 * `npm run test:unit`, MariaDB and Redis cannot be reached, and a test that tries is told so. Without the
 * setup file these connections would succeed against the services this machine runs, and these tests fail.
 */
import { createServer, connect as netConnect, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { describe, expect, inject, it } from 'vitest';

/** The guard's record of attempted connections (and forgets them), absent unless the project's setup file ran. */
function takeServiceConnectionAttempts(): string[] | undefined {
  const attempts = (globalThis as Record<symbol, string[] | undefined>)[Symbol.for('concert-history.unit-tier.attempts')];
  return attempts?.splice(0);
}

function connectionError(port: number): Promise<Error> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      reject(new Error(`connected to port ${port}`));
    });
    socket.once('error', resolve);
  });
}

describe('the unit tier', () => {
  it('refuses a connection to MariaDB or Redis with the reason, and records it', async () => {
    expect((await connectionError(3306)).message).toMatch(/unit tests run without MariaDB and Redis: a connection to MariaDB on port 3306/);
    expect((await connectionError(6379)).message).toMatch(/Redis on port 6379/);
    expect(takeServiceConnectionAttempts()).toEqual(['MariaDB (port 3306)', 'Redis (port 6379)']);
  });

  it('stops the real clients, mysql2 and ioredis, as well', async () => {
    await expect(createConnection('mysql://root@127.0.0.1:3306/mysql')).rejects.toThrow();
    const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {});
    try {
      await expect(redis.connect()).rejects.toThrow();
    } finally {
      redis.disconnect();
    }
    expect(new Set(takeServiceConnectionAttempts())).toEqual(new Set(['MariaDB (port 3306)', 'Redis (port 6379)']));
  });

  it('provides no test database: there is no global setup in this tier', () => {
    expect(inject('databaseUrl')).toBeUndefined();
    expect(inject('redisUrl')).toBeUndefined();
  });

  it('lets a test reach a server of its own', async () => {
    const server = createServer((socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const socket = netConnect({ port: (server.address() as AddressInfo).port, host: '127.0.0.1' });
      let received = '';
      for await (const chunk of socket) received += chunk;
      expect(received).toBe('hello');
    } finally {
      server.close();
    }
  });
});
