/**
 * The app's own rate limits (per user, per account, per IP), on our Redis through
 * @upstash/ratelimit, so every web server shares the counters. A limited call
 * throws RateLimitedError, which tRPC answers as TOO_MANY_REQUESTS with
 * `data.retryAfterSeconds`.
 *
 * Redis down: every limiter runs with `timeout: 0` and no in-memory cache, so it
 * never fails open and never keeps state in the process. That costs nothing: the
 * session lookup before any limited call already needs Redis, so an outage has
 * answered 503 before a limiter is asked.
 */
import { createHash } from 'node:crypto';
import { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config.js';
import { RateLimitedError } from '../errors.js';
import { upstashRedisAdapter } from './upstash-redis-adapter.js';

type Algorithm = ConstructorParameters<typeof Ratelimit>[0]['limiter'];

export const SCAN_STARTS_PER_HOUR = 5;
export const LOGIN_FAILURES_PER_ACCOUNT = 10;
export const LOGIN_FAILURES_PER_IP = 50;
const LOGIN_WINDOW = '15 m';
/** A successful login makes its IP known to the account for this long… */
const KNOWN_IP_TTL_SECONDS = 90 * 24 * 3600;
/** …and the account remembers at most this many of them. */
const KNOWN_IPS_KEPT = 20;

export class RateLimits {
  private readonly apiLimiter: Ratelimit | null;
  private readonly scanLimiter: Ratelimit;
  readonly login: LoginLimits;

  constructor(redis: Redis, config: Pick<AppConfig, 'redis' | 'rateLimits'>) {
    const prefix = `${config.redis.keyPrefix}:ratelimit`;
    const make = (name: string, limiter: Algorithm) => createLimiter(redis, `${prefix}:${name}`, limiter);
    const perMinute = config.rateLimits.apiPerMinute;
    this.apiLimiter = perMinute > 0 ? make('api', Ratelimit.slidingWindow(perMinute, '1 m')) : null;
    this.scanLimiter = make('scan-start', Ratelimit.slidingWindow(SCAN_STARTS_PER_HOUR, '1 h'));
    this.login = new LoginLimits(
      redis,
      `${prefix}:login`,
      make('login-account', Ratelimit.slidingWindow(LOGIN_FAILURES_PER_ACCOUNT, LOGIN_WINDOW)),
      make('login-ip', Ratelimit.slidingWindow(LOGIN_FAILURES_PER_IP, LOGIN_WINDOW)),
    );
  }

  /** One API call of this user; off when RATE_LIMIT_API_PER_MIN=0. */
  async api(userId: number): Promise<void> {
    if (!this.apiLimiter) return;
    const result = await this.apiLimiter.limit(String(userId));
    if (!result.success) throw limited('Too many requests', result.reset);
  }

  /** Refuses a scan start when this user has used up the hour's starts (does not count one). */
  async checkScanStart(userId: number): Promise<void> {
    const { remaining, reset } = await this.scanLimiter.getRemaining(String(userId));
    if (remaining <= 0) throw limited(`You can start ${SCAN_STARTS_PER_HOUR} scans an hour`, reset);
  }

  /**
   * Counts a scan that did start. Check and count are two steps so a start refused
   * for another reason (already running) costs nothing; two starts racing may both
   * pass the check, which a limit on scans per hour can afford.
   */
  async countScanStart(userId: number): Promise<void> {
    await this.scanLimiter.limit(String(userId));
  }
}

/**
 * Login brute force, without letting an attacker lock the real user out:
 * - per IP: at most 50 failed logins per 15 min from one address, whatever the accounts;
 * - per account: at most 10 failed logins per 15 min, counted and enforced only for IPs
 *   that have never logged in to this account. A successful login adds its IP to the
 *   account's known IPs (a Redis sorted set, newest 20, 90 days), which from then on
 *   skip the account counter: an attacker guessing from elsewhere can only block new
 *   devices of that account for 15 minutes, never the places the user already uses.
 * Failures are counted after the password check and checked before it, so a blocked
 * client cannot learn that a guess was right. A success does not clear the per-IP
 * counter (an attacker with one real account could otherwise reset it).
 */
export class LoginLimits {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly accountLimiter: Ratelimit,
    private readonly ipLimiter: Ratelimit,
  ) {}

  /** Throws RateLimitedError when this client may not try to log in to this account now. */
  async check(email: string, ip: string): Promise<void> {
    const account = accountKey(email);
    const [byIp, known] = await Promise.all([this.ipLimiter.getRemaining(ip), this.isKnown(account, ip)]);
    if (byIp.remaining <= 0) throw limited('Too many failed logins from your network', byIp.reset);
    if (known) return;
    const byAccount = await this.accountLimiter.getRemaining(account);
    if (byAccount.remaining <= 0) throw limited('Too many failed logins to this account', byAccount.reset);
  }

  async failed(email: string, ip: string): Promise<void> {
    const account = accountKey(email);
    const counts: Array<Promise<unknown>> = [this.ipLimiter.limit(ip)];
    if (!(await this.isKnown(account, ip))) counts.push(this.accountLimiter.limit(account));
    await Promise.all(counts);
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

function createLimiter(redis: Redis, prefix: string, limiter: Algorithm): Ratelimit {
  return new Ratelimit({
    // The library's type names the HTTP client; it only ever calls eval/evalsha (see the adapter).
    redis: upstashRedisAdapter(redis) as unknown as ConstructorParameters<typeof Ratelimit>[0]['redis'],
    limiter,
    prefix,
    analytics: false,
    timeout: 0,
    // Blocked identifiers would otherwise be remembered in this process only.
    ephemeralCache: false,
  });
}

/** Emails stay out of Redis keys; the same address in any case is one account. */
function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
}

function limited(what: string, resetAtMs: number): RateLimitedError {
  const seconds = Math.max(1, Math.ceil((resetAtMs - Date.now()) / 1000));
  return new RateLimitedError(`${what}; try again in ${seconds} s`, seconds);
}
