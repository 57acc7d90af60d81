/**
 * Cached views as the bytes that go on the wire. A view's answer is stored exactly
 * as tRPC wrote it (and gzipped once), with the versions of the tags it depends on
 * (view-versions.ts); a later request for the same view of the same user is answered
 * with those bytes, without parsing or serialising anything, as long as the versions
 * are unchanged.
 *
 * The lookup is one Lua script, one round trip for everything a cached answer needs:
 * the session (connect-redis's record), the per-user API limit, the versions and the
 * stored answer. It builds the user's keys from the session it reads, so it assumes
 * one Redis (or a Cluster with every key of a user on one slot — not the case here);
 * REDIS_CACHE_URL may point it at a Redis of its own.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Redis, Result } from 'ioredis';
import { API_LIMIT_LUA } from '../rate-limit/api-limit.js';
import { ENSURE_VERSIONS_LUA, newEpoch, type ViewVersions } from './view-versions.js';
import { redisScript } from '../rate-limit/redis-script.js';
import { viewTags } from './view-versions.js';

const gzipAsync = promisify(gzip);

/** Where a lookup left the request. */
export type ViewLookup =
  | { kind: 'decline' }
  | { kind: 'hit'; userId: number; body: Buffer; etag: string; gzipped: boolean }
  | { kind: 'miss'; userId: number; epoch: string; seq: string }
  | { kind: 'limited'; userId: number }
  | { kind: 'session'; userId: number };

/** A view computed on a miss, to be stored if nothing changed meanwhile. */
export interface ViewToStore {
  userId: number;
  procedure: string;
  inputHash: string;
  epoch: string;
  seq: string;
  tags: readonly string[];
  ttlSeconds: number;
}

/** An answer's bytes as they are sent: as is, gzipped (null when too small to gain from it) and their ETag. */
export interface EncodedAnswer {
  body: Buffer;
  gzipped: Buffer | null;
  etag: string;
}

/** Below this an answer goes out as is (the compression middleware's threshold): gzip would not pay for itself. */
const GZIP_FROM_BYTES = 1_024;

/**
 * Returns {0} decline (no session, a session that needs its periodic touch, or not
 * a user's), {1, uid, body, etag} a hit (the API call counted), {2, uid, epoch, seq}
 * a miss, {3, uid} over the API limit, {4, uid} a session-only view.
 * KEYS: session. ARGV: key prefix, procedure, input hash, API limit a minute (0: off),
 * gzip wanted (1/0), session touch interval ms, a fresh epoch, session-only (1/0).
 */
const LOOKUP_LUA = `${ENSURE_VERSIONS_LUA}${API_LIMIT_LUA}
local raw = redis.call('GET', KEYS[1])
if not raw then return {0} end
local ok, session = pcall(cjson.decode, raw)
if not ok or type(session) ~= 'table' or type(session.user) ~= 'table' then return {0} end
local uid = tonumber(session.user.id)
if not uid then return {0} end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
if now - (tonumber(session.touchedAt) or 0) > tonumber(ARGV[6]) then return {0} end
if ARGV[8] == '1' then return {4, uid} end
local prefix = ARGV[1]
local versions = prefix .. ':views:' .. uid
local entryKey = prefix .. ':wire:' .. uid .. ':' .. ARGV[2] .. ':' .. ARGV[3]
local gzipped = ARGV[5] == '1'
local entry = redis.call('HMGET', entryKey, 'd', 'v', gzipped and 'z' or 'b', 'e')
if entry[1] then
  local fields = {}
  for field in string.gmatch(entry[1], '%S+') do fields[#fields + 1] = field end
  local current = redis.call('HMGET', versions, unpack(fields))
  for i = 1, #current do if not current[i] then current[i] = '' end end
  if table.concat(current, ' ') == entry[2] then
    if api_limited(prefix, uid, tonumber(ARGV[4]), now) then return {3, uid} end
    if gzipped and entry[3] == '' then return {1, uid, redis.call('HGET', entryKey, 'b'), entry[4], 0} end
    return {1, uid, entry[3], entry[4], gzipped and 1 or 0}
  end
end
ensure_versions(versions, ARGV[7])
local snapshot = redis.call('HMGET', versions, 'epoch', 'seq')
return {2, uid, snapshot[1], snapshot[2]}
`;

/** Stores a computed view unless the user's data changed (seq) or the hash was remade (epoch) while it was computed. */
const STORE_LUA = `
local current = redis.call('HMGET', KEYS[1], 'epoch', 'seq')
if current[1] ~= ARGV[1] or current[2] ~= ARGV[2] then return 0 end
local fields = {}
for i = 7, #ARGV do fields[#fields + 1] = ARGV[i] end
local values = redis.call('HMGET', KEYS[1], unpack(fields))
for i = 1, #values do if not values[i] then values[i] = '' end end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], 'd', table.concat(fields, ' '), 'v', table.concat(values, ' '), 'b', ARGV[4], 'z', ARGV[5], 'e', ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`;

const storeScript = redisScript(STORE_LUA);

/** ioredis runs a defined command by its hash (loading it when Redis forgot it) and pipelines it with others. */
const LOOKUP_COMMAND = 'concertHistoryViewLookup';
declare module 'ioredis' {
  interface RedisCommander<Context> {
    concertHistoryViewLookupBuffer(sessionKey: string, ...args: Array<string | number>): Result<Array<number | Buffer>, Context>;
  }
}

export interface WireCacheOptions {
  keyPrefix: string;
  /** The session record's key (connect-redis's prefix plus the id). */
  sessionKey: (sessionId: string) => string;
  apiLimitPerMinute: number;
  sessionTouchMs: number;
}

export class WireCache {
  constructor(
    private readonly redis: Redis,
    private readonly versions: ViewVersions,
    private readonly options: WireCacheOptions,
  ) {
    redis.defineCommand(LOOKUP_COMMAND, { numberOfKeys: 1, lua: LOOKUP_LUA });
  }

  /** The raw input parameter as sent (a hit needs the very same text a miss validated). */
  static inputHash(rawInput: string): string {
    return createHash('sha1').update(rawInput).digest('base64url');
  }

  async lookup(sessionId: string, procedure: string, inputHash: string, wantsGzip: boolean, sessionOnly = false): Promise<ViewLookup> {
    const args = [
      this.options.keyPrefix,
      procedure,
      inputHash,
      this.options.apiLimitPerMinute,
      wantsGzip ? 1 : 0,
      this.options.sessionTouchMs,
      newEpoch(),
      sessionOnly ? 1 : 0,
    ];
    // The Buffer variant: a stored answer's gzip is binary.
    const reply = await this.redis.concertHistoryViewLookupBuffer(this.options.sessionKey(sessionId), ...args);
    const code = reply[0] as number;
    const userId = reply[1] as number;
    switch (code) {
      case 1:
        return { kind: 'hit', userId, body: reply[2] as Buffer, etag: (reply[3] as Buffer).toString(), gzipped: reply[4] === 1 };
      case 2:
        return { kind: 'miss', userId, epoch: (reply[2] as Buffer).toString(), seq: (reply[3] as Buffer).toString() };
      case 3:
        return { kind: 'limited', userId };
      case 4:
        return { kind: 'session', userId };
      default:
        return { kind: 'decline' };
    }
  }

  /** What a computed answer is sent and stored as: gzipped once, here, for every later hit too. */
  static async encode(body: Buffer): Promise<EncodedAnswer> {
    return { body, gzipped: body.length >= GZIP_FROM_BYTES ? await gzipAsync(body, { level: 6 }) : null, etag: etagOf(body) };
  }

  /** False when a write came in while it was computed (the next read computes again). */
  async store(view: ViewToStore, answer: EncodedAnswer): Promise<boolean> {
    const fields = ['epoch', viewTags.all, ...new Set(view.tags)];
    const entryKey = `${this.options.keyPrefix}:wire:${view.userId}:${view.procedure}:${view.inputHash}`;
    const args = [view.epoch, view.seq, view.ttlSeconds * 1000, answer.body, answer.gzipped ?? '', answer.etag, ...fields];
    return (await storeScript(this.redis, [this.versions.key(view.userId), entryKey], args)) === 1;
  }
}

/** A strong validator of the bytes: the same answer has the same ETag on every server. */
export function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}
