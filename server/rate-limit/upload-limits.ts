/**
 * What one user may upload, shared by every web server through Redis:
 *
 * - One upload at a time per user (a lease the receiving server renews while it
 *   works). With it, "quota left" and "bytes left this hour" read at the start of
 *   an upload stay true while it runs: parallel requests cannot each spend them.
 * - A sliding hour of bytes (UPLOAD_RATE_MB_PER_HOUR): each stored file counts its size.
 * - Account deletion revokes the lease for good: the server receiving an upload of
 *   that user notices at its next renewal or file and stops, keeping nothing.
 *
 * Time is Redis's own, so servers with skewed clocks share one window. Redis down:
 * uploads are refused (503), never let through unlimited.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import { redisScript } from './redis-script.js';

const HOUR_MS = 3_600_000;
/** A lease lapses this long after its server stopped renewing it (it died mid-upload). */
const LEASE_TTL_MS = 30_000;
const RENEW_EVERY_MS = 10_000;
/** After account deletion, uploads of that user are refused this long (any still running stop). */
const DELETED_MARK_TTL_MS = 3_600_000;
const DELETED = 'account-deleted';

export class AccountDeletedError extends ForbiddenError {
  constructor() {
    super('This account has been deleted; the upload was stopped and nothing of it was kept');
  }
}

export interface UploadLease {
  /** True while this upload may go on (not released, not lapsed, the account not deleted). */
  stillHeld(): Promise<boolean>;
  /** Called once if a renewal finds the lease gone. */
  onLost(listener: () => void): void;
  /** Safe to call more than once; never throws. */
  release(): Promise<void>;
}

const NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;

// Answers the holder's value when the lease is taken, or nothing when it was free and is now ours.
const acquireScript = redisScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])
`);

const renewScript = redisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

const releaseScript = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`);

// Members "<id>:<bytes>" scored by time; answers the bytes of the last hour and when the oldest of them ages out.
const bytesScript = redisScript(`${NOW}
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local bytes = tonumber(ARGV[2])
if bytes > 0 then
  redis.call('ZADD', KEYS[1], now, ARGV[1] .. ':' .. ARGV[2])
  redis.call('PEXPIRE', KEYS[1], window)
end
local used = 0
local oldest = nil
for i, entry in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')) do
  if i % 2 == 1 then
    used = used + tonumber(string.match(entry, ':(%d+)$'))
  elseif oldest == nil then
    oldest = tonumber(entry)
  end
end
if oldest == nil then return {used, 0} end
return {used, oldest + window - now}
`);

export interface HourlyBytes {
  /** Bytes this user may still upload now; null: no hourly limit. */
  left: number | null;
  /** When the oldest counted upload leaves the window. */
  retryAfterMs: number;
}

export class UploadLimits {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly config: Pick<AppConfig, 'redis' | 'imports'>,
  ) {
    this.prefix = `${config.redis.keyPrefix}:ratelimit:upload`;
  }

  private leaseKey(userId: number) {
    return `${this.prefix}:lease:${userId}`;
  }

  private bytesKey(userId: number) {
    return `${this.prefix}:bytes:${userId}`;
  }

  /** The user's one upload slot; refused while another upload of theirs runs, or after their account was deleted. */
  async startUpload(userId: number): Promise<UploadLease> {
    const key = this.leaseKey(userId);
    const token = randomUUID();
    const holder = (await acquireScript(this.redis, [key], [token, LEASE_TTL_MS])) as string | null;
    if (holder === DELETED) throw new AccountDeletedError();
    if (holder) throw new ConflictError('Another upload of yours is still running; wait for it to finish, then send these photos');

    let released = false;
    let lost: (() => void) | null = null;
    const renewal = setInterval(() => {
      renewScript(this.redis, [key], [token, LEASE_TTL_MS]).then(
        (renewed) => {
          if (!renewed && !released) lost?.();
        },
        // Redis away for a moment: the lease lasts LEASE_TTL_MS; the next renewal or check decides.
        () => {},
      );
    }, RENEW_EVERY_MS);
    renewal.unref();
    return {
      stillHeld: async () => !released && (await this.redis.get(key)) === token,
      onLost: (listener) => {
        lost = () => {
          lost = null;
          listener();
        };
      },
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(renewal);
        await releaseScript(this.redis, [key], [token]).catch(() => {});
      },
    };
  }

  /** Account deletion: no upload of this user starts any more, and the ones running stop. */
  async endUploadsOf(userId: number): Promise<void> {
    await this.redis.set(this.leaseKey(userId), DELETED, 'PX', DELETED_MARK_TTL_MS);
  }

  async hourlyBytes(userId: number): Promise<HourlyBytes> {
    const perHour = this.config.imports.uploadBytesPerHour;
    if (perHour === null) return { left: null, retryAfterMs: 0 };
    const [used, retryAfterMs] = (await bytesScript(this.redis, [this.bytesKey(userId)], [randomUUID(), 0, HOUR_MS])) as number[];
    return { left: Math.max(0, perHour - used!), retryAfterMs: Math.max(0, retryAfterMs!) };
  }

  /** A stored file's bytes count against the hour. */
  async countBytes(userId: number, bytes: number): Promise<void> {
    if (this.config.imports.uploadBytesPerHour === null || bytes <= 0) return;
    await bytesScript(this.redis, [this.bytesKey(userId)], [randomUUID(), bytes, HOUR_MS]);
  }
}
