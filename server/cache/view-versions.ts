/**
 * What a user's cached views depend on, as version counters in one Redis hash per
 * user. A view names the parts of the user's data it shows (its tags: the timeline,
 * one concert's facts, one concert's photos, the stats); a write bumps only the tags
 * it changes, so starring a photo leaves the other concerts' pages and the stats
 * cached. A cached view keeps the versions of its tags as they were when it was
 * computed and is served only while they are unchanged: invalidation is exact and
 * O(1) for the writer, and nothing is ever searched with KEYS or SCAN.
 *
 * Two fields are in every hash: `epoch`, a random value set when the hash is made
 * (if Redis evicts or expires the hash, counters restart under a new epoch, so an
 * old view can never match restarted counters), and `seq`, bumped by every write
 * (a view computed while any write happened is not stored).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisScript } from '../rate-limit/redis-script.js';

/** Longer than any cached view lives; renewed by every write and every view stored. */
export const VIEW_VERSIONS_TTL_MS = 2 * 24 * 3600_000;

/** The parts of a user's data a view can depend on. */
export const viewTags = {
  /** Everything: coarse writes (scans, merges, moves, deletions) bump it, and every view depends on it. */
  all: '*',
  /** Which concerts there are, their order, and what the timeline shows of each (date, artist, venue, place, status). */
  timeline: 't',
  /** What the stats count (dates, artists, venues, places, setlists). */
  stats: 's',
  /** One concert's page: everything it shows (what the timeline shows of it is under `timeline` too). */
  concert: (id: number) => `c${id}`,
  /** One concert's photos: its grid, and its strip on the timeline (starred first); null: the unmatched photos. */
  photos: (concertId: number | null) => `p${concertId ?? 'u'}`,
} as const;

/** Lua for the caller's other scripts: makes the hash with a fresh epoch if it is missing. `KEY` and `EPOCH` are Lua names. */
export const ENSURE_VERSIONS_LUA = `
local function ensure_versions(key, epoch)
  if redis.call('HSETNX', key, 'epoch', epoch) == 1 then
    redis.call('HSET', key, 'seq', '0')
  end
  redis.call('PEXPIRE', key, ${VIEW_VERSIONS_TTL_MS})
end
`;

const bumpScript = redisScript(`${ENSURE_VERSIONS_LUA}
ensure_versions(KEYS[1], ARGV[1])
redis.call('HINCRBY', KEYS[1], 'seq', 1)
for i = 2, #ARGV do redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
return 1
`);

const snapshotScript = redisScript(`${ENSURE_VERSIONS_LUA}
ensure_versions(KEYS[1], ARGV[1])
return redis.call('HMGET', KEYS[1], unpack(ARGV, 2))
`);

/** Random per process, then counted: an epoch never repeats, and a request needs no randomness for it. */
const PROCESS_TOKEN = randomBytes(9).toString('base64url');
let epochs = 0;
export function newEpoch(): string {
  epochs += 1;
  return `${PROCESS_TOKEN}${epochs.toString(36)}`;
}

export class ViewVersions {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  key(userId: number): string {
    return `${this.keyPrefix}:views:${userId}`;
  }

  /** One script: every tag named, plus `seq`. The write itself has committed before. */
  async bump(userId: number, tags: readonly string[]): Promise<void> {
    await bumpScript(this.redis, [this.key(userId)], [newEpoch(), ...new Set(tags)]);
  }

  /** The current values of `fields` (the hash made first if missing); an unbumped tag reads as ''. */
  async read(userId: number, fields: readonly string[]): Promise<string[]> {
    const values = (await snapshotScript(this.redis, [this.key(userId)], [newEpoch(), ...fields])) as Array<string | null>;
    return values.map((value) => value ?? '');
  }
}
