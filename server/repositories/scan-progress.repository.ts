/**
 * Live scan progress in Redis, shared by every web server and worker. Each file is
 * counted once however often its job runs (a set of the files seen per scan), and
 * every change is published so any web server can push it to the browser.
 */
import type { Redis } from 'ioredis';
import type { ScanCounts, ScanProgress, ScanStage, ScanStatus } from '../../shared/scan.schema.js';

const FINISHED_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The scan's tally, the one script that changes a scan's live progress. Every step of
 * the pipeline that counts something calls it (worker/scan-pipeline.ts names each
 * call), and it alone decides "that was the last one": the last file of a listed
 * scan (→ dedup), no events to match (→ complete), the last event matched
 * (→ complete). Atomic, so exactly one caller is told; and told again on a retry
 * while the scan still waits for that hand-off, because the first caller may have
 * died before acting on it (the next job's id makes a repeat a no-op).
 *
 * KEYS: the progress hash, the set of listed files, of finished files, of finished events.
 * ARGV: step, now, channel, then the step's arguments.
 */
const SCAN_TALLY = `
local hash, listedSet, filesDone, eventsDone = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local step, now, channel = ARGV[1], ARGV[2], ARGV[3]
local function field(name) return redis.call('HGET', hash, name) end
local function exists() return redis.call('EXISTS', hash) == 1 end
local function running(stage) return field('status') == 'running' and (stage == nil or field('stage') == stage) end
local function publish() redis.call('PUBLISH', channel, cjson.encode(redis.call('HGETALL', hash))) end

-- The listing is over and every listed file is done: the scan moves on to dedup.
local function lastFile()
  if running('processing') and tonumber(field('listed')) == tonumber(field('processed')) + tonumber(field('failed')) then
    redis.call('HSET', hash, 'stage', 'deduplicating')
    return 1
  end
  return 0
end

if step == 'set' then -- field, value, ... -> 1 when the scan exists
  if not exists() then return 0 end
  redis.call('HSET', hash, 'updatedAt', now, unpack(ARGV, 4))
  publish()
  return 1

elseif step == 'listed' then -- fileIds... -> how many are new to the scan (-1: no scan)
  if not exists() then return -1 end
  local added = 0
  for i = 4, #ARGV, 500 do
    added = added + redis.call('SADD', listedSet, unpack(ARGV, i, math.min(i + 499, #ARGV)))
  end
  if added > 0 then
    redis.call('HINCRBY', hash, 'listed', added)
    redis.call('HSET', hash, 'updatedAt', now)
    publish()
  end
  return added

elseif step == 'file-done' then -- outcome field, fileId -> {counted (0/1, -1: no scan), last (0/1)}
  -- A cancelled scan's counters stay as they were at the cancel, whatever jobs were still in flight.
  if not exists() then return {-1, 0} end
  if field('status') == 'cancelled' then return {0, 0} end
  local added = redis.call('SADD', filesDone, ARGV[5])
  local last = 0
  if added == 1 then
    redis.call('HINCRBY', hash, ARGV[4], 1)
    redis.call('HSET', hash, 'updatedAt', now)
    last = lastFile()
    publish()
  elseif running('deduplicating') then
    last = 1
  end
  return {added, last}

elseif step == 'listing-done' then -- -> last (0/1)
  -- A re-run listing never moves a scan back: past 'listing' it only says "last" again while dedup is due.
  if not running() then return 0 end
  if field('stage') == 'deduplicating' then return 1 end
  if field('stage') ~= 'listing' then return 0 end
  redis.call('HSET', hash, 'stage', 'processing', 'updatedAt', now)
  local last = lastFile()
  publish()
  return last

elseif step == 'events-found' then -- events -> 0: not this call's to start, 1: matching started, 2: nothing to match (last)
  if running('matching') and tonumber(field('events')) == 0 then return 2 end
  if not running('deduplicating') then return 0 end
  redis.call('HSET', hash, 'stage', 'matching', 'events', ARGV[4], 'eventsDone', 0, 'updatedAt', now)
  publish()
  if tonumber(ARGV[4]) == 0 then return 2 end
  return 1

elseif step == 'event-done' then -- eventKey -> {counted (0/1, -1: no scan), last (0/1)}
  if not exists() then return {-1, 0} end
  if not running() then return {0, 0} end
  local added = redis.call('SADD', eventsDone, ARGV[4])
  local done = tonumber(field('eventsDone'))
  -- An event done after the wait is over: the scan no longer waits (one still waiting sets it again).
  local waitingUntil = tonumber(field('waitingUntil') or '')
  if waitingUntil and waitingUntil <= tonumber(now) then redis.call('HDEL', hash, 'waitingFor', 'waitingUntil') end
  if added == 1 then
    done = redis.call('HINCRBY', hash, 'eventsDone', 1)
    redis.call('HSET', hash, 'updatedAt', now)
    publish()
  end
  local last = 0
  if field('stage') == 'matching' and done == tonumber(field('events')) then last = 1 end
  return {added, last}
end
return redis.error_reply('unknown scan tally step ' .. tostring(step))
`;

type TallyStep = 'set' | 'listed' | 'file-done' | 'listing-done' | 'events-found' | 'event-done';

type TallyRedis = Redis & {
  scanTally(
    hash: string,
    listed: string,
    filesDone: string,
    eventsDone: string,
    step: TallyStep,
    now: number,
    channel: string,
    ...args: Array<string | number>
  ): Promise<unknown>;
};

export function defineProgressCommands(redis: Redis): TallyRedis {
  const r = redis as TallyRedis;
  if (typeof r.scanTally !== 'function') redis.defineCommand('scanTally', { numberOfKeys: 4, lua: SCAN_TALLY });
  return r;
}

export function parseProgress(fields: Record<string, string>): ScanProgress | null {
  if (!fields.scanId) return null;
  const count = (name: string) => Number(fields[name] ?? 0);
  return {
    scanId: Number(fields.scanId),
    status: fields.status as ScanStatus,
    stage: fields.stage as ScanStage,
    counts: {
      listed: count('listed'),
      processed: count('processed'),
      failed: count('failed'),
      duplicates: count('duplicates'),
      matched: count('matched'),
      unchanged: count('unchanged'),
    },
    events: { total: count('events'), done: count('eventsDone') },
    startedAt: fields.startedAt ? Number(fields.startedAt) : null,
    updatedAt: count('updatedAt'),
    waiting: waitingOf(fields),
  };
}

/** While an evening waits for setlist.fm's next day and the scan is still running. */
function waitingOf(fields: Record<string, string>): ScanProgress['waiting'] {
  const until = Number(fields.waitingUntil);
  if (fields.waitingFor !== 'setlist.fm' || !Number.isFinite(until) || fields.status !== 'running') return null;
  return { service: 'setlist.fm', until };
}

/** Redis publishes HGETALL as a flat [field, value, ...] list. */
export function parseProgressMessage(message: string): ScanProgress | null {
  const flat = JSON.parse(message) as string[];
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return parseProgress(fields);
}

export class ScanProgressRepository {
  private readonly redis: TallyRedis;

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

  private tally(scanId: number, step: TallyStep, ...args: Array<string | number>) {
    return this.redis.scanTally(
      this.hash(scanId),
      this.listedSet(scanId),
      this.doneSet(scanId),
      this.eventsDoneSet(scanId),
      step,
      Date.now(),
      this.channel(scanId),
      ...args,
    );
  }

  async init(scanId: number): Promise<void> {
    const now = Date.now();
    await this.redis.hset(this.hash(scanId), {
      scanId,
      status: 'queued',
      stage: 'queued',
      listed: 0,
      processed: 0,
      failed: 0,
      duplicates: 0,
      matched: 0,
      events: 0,
      eventsDone: 0,
      updatedAt: now,
    });
  }

  async get(scanId: number): Promise<ScanProgress | null> {
    return parseProgress(await this.redis.hgetall(this.hash(scanId)));
  }

  async markRunning(scanId: number): Promise<void> {
    await this.tally(scanId, 'set', 'status', 'running', 'stage', 'listing', 'startedAt', String(Date.now()));
  }

  /** Returns how many of these files are new to this scan (a re-listed page counts nothing twice). */
  async addListed(scanId: number, fileIds: string[]): Promise<number> {
    if (!fileIds.length) return 0;
    return (await this.tally(scanId, 'listed', ...fileIds)) as number;
  }

  /** True when this call finished the listing of a scan whose files were all done already. */
  async listingDone(scanId: number): Promise<boolean> {
    return (await this.tally(scanId, 'listing-done')) === 1;
  }

  /**
   * Counts a file as processed or failed, once. `finishing` is true for exactly one
   * caller: the one whose file completed the scan's last pending work.
   */
  async markDone(scanId: number, fileId: string, outcome: 'processed' | 'failed') {
    const [counted, finishing] = (await this.tally(scanId, 'file-done', outcome, fileId)) as [number, number];
    return { known: counted !== -1, counted: counted === 1, finishing: finishing === 1 };
  }

  async setCounts(scanId: number, counts: Partial<ScanCounts>): Promise<void> {
    const pairs = Object.entries(counts).flatMap(([field, value]) => [field, String(value)]);
    if (pairs.length) await this.tally(scanId, 'set', ...pairs);
  }

  /**
   * Dedup is done and the scan's photos form `events` evenings to match. `started` is false for a repeat
   * call; `finishing` true when there is nothing to match, for the one caller that started matching.
   */
  async startMatching(scanId: number, events: number) {
    const result = await this.tally(scanId, 'events-found', events);
    return { started: result !== 0, finishing: result === 2 };
  }

  /** Counts an event as matched (or sent to review), once; `finishing` is true for the caller that matched the last one. */
  async markEventDone(scanId: number, eventKey: string) {
    const [counted, finishing] = (await this.tally(scanId, 'event-done', eventKey)) as [number, number];
    return { counted: counted === 1, finishing: finishing === 1 };
  }

  /**
   * An evening of the scan waits for an outside service's quota until `until` (setlist.fm's next UTC day): the
   * live progress says so. The latest time wins; the next event done after it clears it (the `event-done` step).
   */
  async waitFor(scanId: number, service: 'setlist.fm', until: Date): Promise<void> {
    const current = Number(await this.redis.hget(this.hash(scanId), 'waitingUntil'));
    if (Number.isFinite(current) && current >= until.getTime()) return;
    await this.tally(scanId, 'set', 'waitingFor', service, 'waitingUntil', String(until.getTime()));
  }

  async isCancelled(scanId: number): Promise<boolean> {
    return (await this.redis.hget(this.hash(scanId), 'status')) === 'cancelled';
  }

  /** Final state: published, kept a week for late readers, the per-file sets dropped. */
  async finish(scanId: number, status: Exclude<ScanStatus, 'queued' | 'running'>): Promise<void> {
    await this.tally(scanId, 'set', 'status', status, 'stage', 'done');
    await this.redis
      .multi()
      .expire(this.hash(scanId), FINISHED_TTL_SECONDS)
      .del(this.listedSet(scanId), this.doneSet(scanId), this.eventsDoneSet(scanId))
      .exec();
  }
}
