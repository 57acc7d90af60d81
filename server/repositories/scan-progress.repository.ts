/**
 * Live scan progress in Redis, shared by every web server and worker. Each file is
 * counted once however often its job runs (a set of the files seen per scan), and
 * every change is published so any web server can push it to the browser.
 */
import type { Redis } from 'ioredis';
import type { ScanCounts, ScanProgress, ScanStage, ScanStatus } from '../../shared/scan.schema.js';

const FINISHED_TTL_SECONDS = 7 * 24 * 3600;

/** Moves a running scan whose listing is over and whose files are all accounted for to 'deduplicating'; 1 for the caller that did it. */
const CHECK_FINISH = `
local function checkFinish(hash)
  local h = redis.call('HMGET', hash, 'status', 'stage', 'listed', 'processed', 'failed')
  if h[1] == 'running' and h[2] == 'processing' and tonumber(h[3]) == tonumber(h[4]) + tonumber(h[5]) then
    redis.call('HSET', hash, 'stage', 'deduplicating')
    return 1
  end
  return 0
end
local function publish(hash, channel)
  redis.call('PUBLISH', channel, cjson.encode(redis.call('HGETALL', hash)))
end
`;

/** KEYS: hash, set of listed files. ARGV: now, channel, fileIds... → newly listed count. */
const ADD_LISTED = `${CHECK_FINISH}
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local added = 0
for i = 3, #ARGV, 500 do
  added = added + redis.call('SADD', KEYS[2], unpack(ARGV, i, math.min(i + 499, #ARGV)))
end
if added > 0 then
  redis.call('HINCRBY', KEYS[1], 'listed', added)
  redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1])
  publish(KEYS[1], ARGV[2])
end
return added`;

/**
 * KEYS: hash, set of finished files. ARGV: outcome field, fileId, now, channel → {counted (0/1, -1 no scan), finishing (0/1)}.
 * A cancelled scan's counters stay as they were at the cancel, whatever jobs were still in flight.
 * A file counted already while the scan waits for dedup says `finishing` again: its job may be the retry of
 * the one that finished the scan and died before it could queue dedup (whose job id makes a repeat a no-op).
 */
const MARK_DONE = `${CHECK_FINISH}
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1, 0} end
if redis.call('HGET', KEYS[1], 'status') == 'cancelled' then return {0, 0} end
local added = redis.call('SADD', KEYS[2], ARGV[2])
local finishing = 0
if added == 1 then
  redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
  redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3])
  finishing = checkFinish(KEYS[1])
  publish(KEYS[1], ARGV[4])
elseif redis.call('HGET', KEYS[1], 'status') == 'running' and redis.call('HGET', KEYS[1], 'stage') == 'deduplicating' then
  finishing = 1
end
return {added, finishing}`;

/**
 * KEYS: hash. ARGV: now, channel → finishing (0/1). A re-run listing (its worker died after the first
 * finished) never moves a scan back: past 'listing' it only says `finishing` again while dedup is due.
 */
const LISTING_DONE = `${CHECK_FINISH}
if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
local stage = redis.call('HGET', KEYS[1], 'stage')
if stage == 'deduplicating' then return 1 end
if stage ~= 'listing' then return 0 end
redis.call('HSET', KEYS[1], 'stage', 'processing', 'updatedAt', ARGV[1])
local finishing = checkFinish(KEYS[1])
publish(KEYS[1], ARGV[2])
return finishing`;

/**
 * KEYS: hash. ARGV: now, channel, events → 1 when this call moved a deduplicated scan to matching
 * (a retried call changes nothing), 2 when it did so with no events, so the scan is finishing now.
 * A retried call on a running scan with no events says 2 again: the first caller died before completing it.
 */
const START_MATCHING = `${CHECK_FINISH}
if redis.call('HGET', KEYS[1], 'status') == 'running' and redis.call('HGET', KEYS[1], 'stage') == 'matching'
  and tonumber(redis.call('HGET', KEYS[1], 'events')) == 0 then return 2 end
if redis.call('HGET', KEYS[1], 'status') ~= 'running' or redis.call('HGET', KEYS[1], 'stage') ~= 'deduplicating' then return 0 end
redis.call('HSET', KEYS[1], 'stage', 'matching', 'events', ARGV[3], 'eventsDone', 0, 'updatedAt', ARGV[1])
publish(KEYS[1], ARGV[2])
if tonumber(ARGV[3]) == 0 then return 2 end
return 1`;

/**
 * KEYS: hash, set of matched events. ARGV: eventKey, now, channel → {counted (0/1, -1 no scan), finishing (0/1)}.
 * An event counted already says `finishing` again while every event is done and the scan still runs: its job
 * may be the retry of the one whose completion failed (a dropped database connection) or died half-way.
 */
const MARK_EVENT_DONE = `${CHECK_FINISH}
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1, 0} end
if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return {0, 0} end
local added = redis.call('SADD', KEYS[2], ARGV[1])
local done = tonumber(redis.call('HGET', KEYS[1], 'eventsDone'))
if added == 1 then
  done = redis.call('HINCRBY', KEYS[1], 'eventsDone', 1)
  redis.call('HSET', KEYS[1], 'updatedAt', ARGV[2])
  publish(KEYS[1], ARGV[3])
end
local finishing = 0
if redis.call('HGET', KEYS[1], 'stage') == 'matching' and done == tonumber(redis.call('HGET', KEYS[1], 'events')) then finishing = 1 end
return {added, finishing}`;

/** KEYS: hash. ARGV: now, channel, field, value, ... → 1 when the scan exists. */
const SET_FIELDS = `${CHECK_FINISH}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[1], unpack(ARGV, 3))
publish(KEYS[1], ARGV[2])
return 1`;

type ProgressRedis = Redis & {
  scanAddListed(hash: string, set: string, now: number, channel: string, ...fileIds: string[]): Promise<number>;
  scanMarkDone(hash: string, set: string, outcome: string, fileId: string, now: number, channel: string): Promise<[number, number]>;
  scanListingDone(hash: string, now: number, channel: string): Promise<number>;
  scanSetFields(hash: string, now: number, channel: string, ...fieldsAndValues: string[]): Promise<number>;
  scanStartMatching(hash: string, now: number, channel: string, events: number): Promise<number>;
  scanMarkEventDone(hash: string, set: string, eventKey: string, now: number, channel: string): Promise<[number, number]>;
};

export function defineProgressCommands(redis: Redis): ProgressRedis {
  const r = redis as ProgressRedis;
  if (typeof r.scanAddListed !== 'function') {
    redis.defineCommand('scanAddListed', { numberOfKeys: 2, lua: ADD_LISTED });
    redis.defineCommand('scanMarkDone', { numberOfKeys: 2, lua: MARK_DONE });
    redis.defineCommand('scanListingDone', { numberOfKeys: 1, lua: LISTING_DONE });
    redis.defineCommand('scanSetFields', { numberOfKeys: 1, lua: SET_FIELDS });
    redis.defineCommand('scanStartMatching', { numberOfKeys: 1, lua: START_MATCHING });
    redis.defineCommand('scanMarkEventDone', { numberOfKeys: 2, lua: MARK_EVENT_DONE });
  }
  return r;
}

export function parseProgress(fields: Record<string, string>): ScanProgress | null {
  if (!fields.scanId) return null;
  const count = (name: string) => Number(fields[name] ?? 0);
  return {
    scanId: Number(fields.scanId),
    status: fields.status as ScanStatus,
    stage: fields.stage as ScanStage,
    counts: { listed: count('listed'), processed: count('processed'), failed: count('failed'), duplicates: count('duplicates'), matched: count('matched') },
    events: { total: count('events'), done: count('eventsDone') },
    startedAt: fields.startedAt ? Number(fields.startedAt) : null,
    updatedAt: count('updatedAt'),
  };
}

/** Redis publishes HGETALL as a flat [field, value, ...] list. */
export function parseProgressMessage(message: string): ScanProgress | null {
  const flat = JSON.parse(message) as string[];
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return parseProgress(fields);
}

export class ScanProgressRepository {
  private readonly redis: ProgressRedis;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
  ) {
    this.redis = defineProgressCommands(redis);
  }

  private hash = (scanId: number) => `${this.keyPrefix}:scan:${scanId}`;
  private listedSet = (scanId: number) => `${this.keyPrefix}:scan:${scanId}:listed`;
  private doneSet = (scanId: number) => `${this.keyPrefix}:scan:${scanId}:done`;
  private eventsDoneSet = (scanId: number) => `${this.keyPrefix}:scan:${scanId}:events-done`;
  channel = (scanId: number) => `${this.keyPrefix}:scan-progress:${scanId}`;

  async init(scanId: number): Promise<void> {
    const now = Date.now();
    await this.redis.hset(this.hash(scanId), {
      scanId, status: 'queued', stage: 'queued', listed: 0, processed: 0, failed: 0, duplicates: 0, matched: 0, events: 0, eventsDone: 0,
      updatedAt: now,
    });
  }

  async get(scanId: number): Promise<ScanProgress | null> {
    return parseProgress(await this.redis.hgetall(this.hash(scanId)));
  }

  async markRunning(scanId: number): Promise<void> {
    const now = Date.now();
    await this.redis.scanSetFields(this.hash(scanId), now, this.channel(scanId), 'status', 'running', 'stage', 'listing', 'startedAt', String(now));
  }

  /** Returns how many of these files are new to this scan (a re-listed page counts nothing twice). */
  async addListed(scanId: number, fileIds: string[]): Promise<number> {
    if (!fileIds.length) return 0;
    return this.redis.scanAddListed(this.hash(scanId), this.listedSet(scanId), Date.now(), this.channel(scanId), ...fileIds);
  }

  /** True when this call finished the listing of a scan whose files were all done already. */
  async listingDone(scanId: number): Promise<boolean> {
    return (await this.redis.scanListingDone(this.hash(scanId), Date.now(), this.channel(scanId))) === 1;
  }

  /**
   * Counts a file as processed or failed, once. `finishing` is true for exactly one
   * caller: the one whose file completed the scan's last pending work.
   */
  async markDone(scanId: number, fileId: string, outcome: 'processed' | 'failed') {
    const [counted, finishing] = await this.redis.scanMarkDone(
      this.hash(scanId), this.doneSet(scanId), outcome, fileId, Date.now(), this.channel(scanId),
    );
    return { known: counted !== -1, counted: counted === 1, finishing: finishing === 1 };
  }

  async setCounts(scanId: number, counts: Partial<ScanCounts>): Promise<void> {
    const pairs = Object.entries(counts).flatMap(([field, value]) => [field, String(value)]);
    if (pairs.length) await this.redis.scanSetFields(this.hash(scanId), Date.now(), this.channel(scanId), ...pairs);
  }

  /**
   * Dedup is done and the scan's photos form `events` evenings to match. `started` is false for a repeat
   * call; `finishing` true when there is nothing to match, for the one caller that started matching.
   */
  async startMatching(scanId: number, events: number) {
    const result = await this.redis.scanStartMatching(this.hash(scanId), Date.now(), this.channel(scanId), events);
    return { started: result !== 0, finishing: result === 2 };
  }

  /** Counts an event as matched (or sent to review), once; `finishing` is true for the caller that matched the last one. */
  async markEventDone(scanId: number, eventKey: string) {
    const [counted, finishing] = await this.redis.scanMarkEventDone(
      this.hash(scanId), this.eventsDoneSet(scanId), eventKey, Date.now(), this.channel(scanId),
    );
    return { counted: counted === 1, finishing: finishing === 1 };
  }

  async isCancelled(scanId: number): Promise<boolean> {
    return (await this.redis.hget(this.hash(scanId), 'status')) === 'cancelled';
  }

  /** Final state: published, kept a week for late readers, the per-file sets dropped. */
  async finish(scanId: number, status: Exclude<ScanStatus, 'queued' | 'running'>): Promise<void> {
    await this.redis.scanSetFields(this.hash(scanId), Date.now(), this.channel(scanId), 'status', status, 'stage', 'done');
    await this.redis.multi().expire(this.hash(scanId), FINISHED_TTL_SECONDS).del(this.listedSet(scanId), this.doneSet(scanId), this.eventsDoneSet(scanId)).exec();
  }
}
