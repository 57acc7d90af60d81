import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from './config.js';

export type { Logger };

export function createLogger(
  config: Pick<AppConfig, 'logLevel'> & Partial<Pick<AppConfig, 'logFormat'>>,
  bindings: Record<string, unknown> = {},
  destination?: DestinationStream,
): Logger {
  const options = { level: config.logLevel, base: { pid: process.pid, ...bindings }, serializers: { err: serializeError } };
  if (destination) return pino(options, destination);
  return config.logFormat === 'pretty' ? pino(options, prettyDestination(process.stdout)) : pino(options);
}

const LEVELS: Record<number, { name: string; color: number }> = {
  10: { name: 'TRACE', color: 90 },
  20: { name: 'DEBUG', color: 36 },
  30: { name: 'INFO ', color: 32 },
  40: { name: 'WARN ', color: 33 },
  50: { name: 'ERROR', color: 31 },
  60: { name: 'FATAL', color: 35 },
};
/** Said by the line's own layout (time, level, role) or of no use to a person reading along. */
const LAYOUT_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'role', 'process', 'err']);

/**
 * Development logs for a person at a terminal: `14:32:05 INFO  web  scan completed  scanId=7 listed=376`, the
 * error's message and stack under it, colours when the terminal shows them. The same entries as the JSON lines
 * (pino formats them first), only laid out to be read; production and tests keep JSON (LOG_FORMAT).
 */
export function prettyDestination(out: NodeJS.WritableStream & { isTTY?: boolean }): DestinationStream {
  const paint = (code: number, text: string) => (out.isTTY ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    write(line: string) {
      out.write(`${prettyLine(line, paint)}\n`);
    },
  };
}

export function prettyLine(line: string, paint: (code: number, text: string) => string = (_code, text) => text): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.trimEnd();
  }
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now()).toTimeString().slice(0, 8);
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level), color: 0 };
  const role = typeof entry.role === 'string' ? `${entry.role}${entry.process ? `#${entry.process}` : ''}` : '';
  const fields = Object.entries(entry)
    .filter(([key, value]) => !LAYOUT_FIELDS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? (/\s/.test(value) ? JSON.stringify(value) : value) : JSON.stringify(value)}`);
  const head = [paint(90, time), paint(level.color, level.name), role && paint(36, role.padEnd(6)), String(entry.msg ?? '')]
    .filter(Boolean)
    .join(' ');
  const text = fields.length ? `${head}  ${paint(90, fields.join(' '))}` : head;
  const err = entry.err as { message?: string; stack?: string } | undefined;
  if (!err) return text;
  const stack = (err.stack ?? err.message ?? '').split('\n').map((frame) => `    ${frame}`);
  return [text, ...stack].join('\n');
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
  return text.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/g, '\nparams: (not logged)').replace(/\b(entry|value:?)\s+'(?:[^'\\]|\\.)*'/gi, "$1 '?'");
}
