/**
 * Setup file of the unit project (`npm run test:unit`): these tests run without MariaDB and Redis, and this
 * makes that a checked fact rather than a habit. A connection attempted to either (their default ports, and
 * the ports of DATABASE_URL / REDIS_URL / TEST_MYSQL_URL / TEST_REDIS_URL when set) is refused at once like a
 * closed port, and the test that made it fails, naming the port: such a test belongs in tests/integration/.
 */
import net from 'node:net';
import { afterEach } from 'vitest';

const SERVICE_PORTS = new Map<number, string>([
  [3306, 'MariaDB'],
  [6379, 'Redis'],
]);
for (const [variable, service] of [
  ['DATABASE_URL', 'MariaDB'],
  ['TEST_MYSQL_URL', 'MariaDB'],
  ['REDIS_URL', 'Redis'],
  ['REDIS_CACHE_URL', 'Redis'],
  ['TEST_REDIS_URL', 'Redis'],
] as const) {
  const port = portOfUrl(process.env[variable]);
  if (port) SERVICE_PORTS.set(port, service);
}

function portOfUrl(url: string | undefined): number | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return Number(parsed.port) || { 'mysql:': 3306, 'redis:': 6379, 'rediss:': 6379 }[parsed.protocol];
  } catch {
    return undefined;
  }
}

/** net.connect(…) hands Socket#connect its normalised arguments: [options, callback], options holding the port. */
function portOf(args: unknown[]): number | undefined {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === 'number' || typeof first === 'string') return Number(first) || undefined;
  if (first && typeof first === 'object' && 'port' in first) return Number((first as { port: unknown }).port) || undefined;
  return undefined;
}

// Reachable without importing this file (tests/unit/unit-tier.test.ts reads it to prove the setup file ran).
const attempts: string[] = [];
(globalThis as Record<symbol, unknown>)[Symbol.for('concert-history.unit-tier.attempts')] = attempts;

function takeServiceConnectionAttempts(): string[] {
  return attempts.splice(0);
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const port = portOf(args);
  const service = port === undefined ? undefined : SERVICE_PORTS.get(port);
  if (service === undefined) return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  attempts.push(`${service} (port ${port})`);
  const refusal = Object.assign(new Error(`unit tests run without MariaDB and Redis: a connection to ${service} on port ${port} was attempted`), {
    code: 'ECONNREFUSED',
  });
  process.nextTick(() => this.destroy(refusal));
  return this;
} as typeof connect;

afterEach(() => {
  const made = takeServiceConnectionAttempts();
  if (made.length) {
    throw new Error(
      `this unit test tried to reach ${[...new Set(made)].join(' and ')}; unit tests run without services: ` +
        'give it an in-memory port, or move it to tests/integration/',
    );
  }
});
