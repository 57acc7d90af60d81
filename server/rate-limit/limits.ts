/**
 * The app's own rate limits (per user, per account, per IP), in our Redis, so
 * every web server shares the counters. A limited call throws RateLimitedError,
 * which tRPC answers as TOO_MANY_REQUESTS with `data.retryAfterSeconds`.
 *
 * Limits on attempts that cost us or an account something (password checks, sign-ups,
 * scan starts) reserve the attempt atomically before the work (sliding-window.ts),
 * so parallel requests or a batch cannot all read "one left" and all go ahead.
 *
 * Redis down: every limit fails closed (no in-memory fallback, nothing kept in the
 * process); the error becomes SERVICE_UNAVAILABLE (trpc/error-map.ts).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config.js';
import { RateLimitedError } from '../errors.js';
import { addressKey } from './address-key.js';
import { ConcurrentLeases, type Lease } from './concurrent-leases.js';
import { reserve, type SlidingWindow } from './sliding-window.js';
import { apiCallRetryMs } from './api-limit.js';

export const SCAN_STARTS_PER_HOUR = 5;
export const LOGIN_FAILURES_PER_ACCOUNT = 10;
export const LOGIN_FAILURES_PER_IP = 50;
/** Live-progress streams (scans.onProgress) one user may hold open at once, over all web servers. */
export const PROGRESS_STREAMS_PER_USER = 20;
const LOGIN_WINDOW_MS = 15 * 60_000;
const HOUR_MS = 3_600_000;
/** A stream's lease lapses this long after its web server stopped renewing it (e.g. the server died). */
const PROGRESS_STREAM_LEASE_MS = 60_000;
/** A successful login makes its IP known to the account for this long… */
const KNOWN_IP_TTL_SECONDS = 90 * 24 * 3600;
/** …and the account remembers at most this many of them. */
const KNOWN_IPS_KEPT = 20;

/** An attempt that holds its place in the limits until it is known whether it counts. */
export interface ReservedAttempt {
  /** It does not count after all (success, or refused for another reason). */
  refund(): Promise<void>;
}

export class RateLimits {
  private readonly prefix: string;
  private readonly progressStreams: ConcurrentLeases;
  readonly login: LoginLimits;

  constructor(
    private readonly redis: Redis,
    private readonly config: Pick<AppConfig, 'redis' | 'rateLimits'>,
    /** The sessions' Redis (REDIS_CACHE_URL), where cached views count API calls too. */
    private readonly apiRedis: Redis = redis,
  ) {
    this.prefix = `${config.redis.keyPrefix}:ratelimit`;
    this.login = new LoginLimits(redis, `${this.prefix}:login`);
    this.progressStreams = new ConcurrentLeases(redis, `${this.prefix}:progress-streams`, {
      limit: PROGRESS_STREAMS_PER_USER,
      ttlMs: PROGRESS_STREAM_LEASE_MS,
    });
  }

  /**
   * One API call of this user; off when RATE_LIMIT_API_PER_MIN=0. Counted in the
   * sessions' Redis, where a cached view's lookup counts it too (api-limit.ts).
   */
  async api(userId: number): Promise<void> {
    const retryMs = await apiCallRetryMs(this.apiRedis, this.config.redis.keyPrefix, userId, this.config.rateLimits.apiPerMinute);
    if (retryMs > 0) throw limited('Too many requests', retryMs);
  }

  /** Holds one of the user's scan starts of the hour; refund it when the scan did not start after all. */
  async reserveScanStart(userId: number): Promise<ReservedAttempt> {
    return reserveOrThrow(
      this.redis,
      [{ key: `${this.prefix}:scan-start:${userId}`, limit: SCAN_STARTS_PER_HOUR, windowMs: HOUR_MS }],
      () => `You can start ${SCAN_STARTS_PER_HOUR} scans an hour`,
    );
  }

  /**
   * One sign-up attempt from this address (RATE_LIMIT_SIGNUPS_PER_HOUR; 0: off). Attempts
   * on an email that already has an account count too, so probing for accounts is as slow
   * as creating them.
   */
  async reserveSignup(clientIp: string): Promise<ReservedAttempt> {
    const perHour = this.config.rateLimits.signupsPerHour;
    if (perHour <= 0) return { refund: async () => {} };
    return reserveOrThrow(
      this.redis,
      [{ key: `${this.prefix}:signup:${addressKey(clientIp)}`, limit: perHour, windowMs: HOUR_MS }],
      () => 'Too many sign-ups from your network',
    );
  }

  /** A slot for one live-progress stream of this user, held until released (or for a minute after its server died). */
  async openProgressStream(userId: number): Promise<Lease> {
    const lease = await this.progressStreams.acquire(userId);
    if (!lease) {
      throw new RateLimitedError(
        `You already follow ${PROGRESS_STREAMS_PER_USER} scans live; close another tab or window first`,
        Math.ceil(PROGRESS_STREAM_LEASE_MS / 2_000),
      );
    }
    return lease;
  }
}

/**
 * Login brute force, without letting an attacker lock the real user out:
 * - per IP (an IPv6 /64): at most 50 failed logins per 15 min from one address, whatever the accounts;
 * - per account: at most 10 failed logins per 15 min, counted and enforced only for IPs
 *   that have never logged in to this account. A successful login adds its IP to the
 *   account's known IPs (a Redis sorted set, newest 20, 90 days), which from then on
 *   skip the account counter: an attacker guessing from elsewhere can only block new
 *   devices of that account for 15 minutes, never the places the user already uses.
 * Every password check reserves its attempt first, atomically in both counters, and a
 * refused client learns nothing of the password; a success refunds only its own attempt
 * (an attacker with one real account cannot clear the per-IP counter by logging in).
 */
export class LoginLimits {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Throws RateLimitedError when this client may not try a password of this account now. */
  async reserve(email: string, ip: string): Promise<ReservedAttempt> {
    const account = accountKey(email);
    const windows: SlidingWindow[] = [{ key: `${this.prefix}:ip:${addressKey(ip)}`, limit: LOGIN_FAILURES_PER_IP, windowMs: LOGIN_WINDOW_MS }];
    if (!(await this.isKnown(account, ip))) {
      windows.push({ key: `${this.prefix}:account:${account}`, limit: LOGIN_FAILURES_PER_ACCOUNT, windowMs: LOGIN_WINDOW_MS });
    }
    return reserveOrThrow(this.redis, windows, (refusedBy) =>
      refusedBy === 0 ? 'Too many failed logins from your network' : 'Too many failed logins to this account',
    );
  }

  async succeeded(email: string, ip: string): Promise<void> {
    const key = this.knownKey(accountKey(email));
    await this.redis
      .multi()
      .zadd(key, Date.now(), ip)
      .zremrangebyrank(key, 0, -(KNOWN_IPS_KEPT + 1))
      .expire(key, KNOWN_IP_TTL_SECONDS)
      .exec();
  }

  private async isKnown(account: string, ip: string): Promise<boolean> {
    return (await this.redis.zscore(this.knownKey(account), ip)) !== null;
  }

  private knownKey(account: string) {
    return `${this.prefix}:known-ips:${account}`;
  }
}

async function reserveOrThrow(redis: Redis, windows: SlidingWindow[], refusal: (refusedBy: number) => string): Promise<ReservedAttempt> {
  const reservation = await reserve(redis, windows);
  if (!reservation.ok) throw limited(refusal(reservation.refusedBy), reservation.retryAfterMs);
  return reservation;
}

/** Emails stay out of Redis keys; the same address in any case is one account. */
function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
}

function limited(what: string, retryAfterMs: number): RateLimitedError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new RateLimitedError(`${what}; try again in ${seconds} s`, seconds);
}
