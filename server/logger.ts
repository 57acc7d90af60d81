import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from './config.js';

export type { Logger };

export function createLogger(
  config: Pick<AppConfig, 'logLevel'>, bindings: Record<string, unknown> = {}, destination?: DestinationStream,
): Logger {
  const options = { level: config.logLevel, base: { pid: process.pid, ...bindings }, serializers: { err: serializeError } };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Logged errors keep the failed statement but none of its values: drizzle's
 * DrizzleQueryError carries them (`params`, and a "params:" line in its message and
 * stack), mysql2's errors the SQL with the values formatted in (`sql`) and, for a
 * duplicate entry or a bad value, the value in the message. Values are what a log
 * must never hold: password hashes, e-mail addresses, tokens.
 */
export function serializeError(value: unknown): unknown {
  if (typeof value === 'string') return withoutValues(value);
  if (!(value instanceof Error)) return value;
  return stdSerializers.err(cleanError(value));
}

/** The same cleaning for what leaves the process another way (Sentry). */
export function errorWithoutValues<T>(value: T): T | Error {
  return value instanceof Error ? cleanError(value) : value;
}

function cleanError(error: Error, depth = 0): Error {
  const query = (error as { query?: unknown }).query;
  const isFailedQuery = typeof query === 'string' && 'params' in error;
  const isDriverError = 'sqlState' in error || 'sql' in error || 'sqlMessage' in error;
  const cause = error.cause instanceof Error && depth < 5 ? cleanError(error.cause, depth + 1) : error.cause;
  if (!isFailedQuery && !isDriverError && cause === error.cause) return error;

  const message = isFailedQuery ? `Failed query: ${query}` : withoutValues(error.message);
  const clean = new Error(message, cause === undefined ? undefined : { cause });
  clean.name = error.name;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  clean.stack = [`${error.name}: ${message}`, ...frames].join('\n');
  // The driver's own fields, minus the ones that hold values.
  for (const field of ['code', 'errno', 'sqlState', 'query'] as const) {
    if (field in error) (clean as unknown as Record<string, unknown>)[field] = (error as unknown as Record<string, unknown>)[field];
  }
  const { sqlMessage } = error as { sqlMessage?: unknown };
  if (typeof sqlMessage === 'string') (clean as Error & { sqlMessage?: string }).sqlMessage = withoutValues(sqlMessage);
  return clean;
}

/** "Duplicate entry 'a@b.example' for key …" → "Duplicate entry '?' for key …"; a drizzle "params:" line goes whole. */
function withoutValues(text: string): string {
  return text
    .replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/g, '\nparams: (not logged)')
    .replace(/\b(entry|value:?)\s+'(?:[^'\\]|\\.)*'/gi, "$1 '?'");
}
