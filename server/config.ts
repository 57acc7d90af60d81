/**
 * The one place that reads process.env. Server, worker and scripts call
 * loadConfig() once at start and pass the typed result down.
 */
import { availableParallelism, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { QUEUE_NAMES, isQueueName, type QueueName } from '../shared/queues.js';
import { parseSecretKey } from './secret-key.js';
import { INSTALL_SECRET_FILE, installSecret } from './install-secret.js';

/** Queues whose every job is small enough to run inside a web request when the queue is switched off. */
const INLINE_ABLE_QUEUES = ['image'] as const;

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
/** A tile URL template: http(s), with {z}, {x} and {y} where the tile's numbers go. */
const tileUrlTemplate = z
  .string()
  .refine((template) => ['{z}', '{x}', '{y}'].every((part) => template.includes(part)), 'Use {z}, {x} and {y} where the tile numbers go')
  .refine((template) => z.url({ protocol: /^https?$/ }).safeParse(template.replace(/\{[zxy]\}/g, '0')).success, 'Use an http(s) URL');
const intFrom = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).default(fallback));
const booleanFlag = (fallback: boolean) =>
  z
    .preprocess(emptyAsUndefined, z.enum(['true', 'false', '1', '0']).default(fallback ? 'true' : 'false'))
    .transform((v) => v === 'true' || v === '1');
const mysqlUrl = z.url({ protocol: /^mysql$/, message: 'must be a mysql://user:password@host:port/database URL' });
const redisUrl = z.url({ protocol: /^rediss?$/, message: 'must be a redis:// or rediss:// URL' });
const commaList = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

const queueList = z
  .preprocess(
    (value) => (value === undefined || value === '' ? [...QUEUE_NAMES] : commaList(value)),
    z.array(z.string()).superRefine((names, ctx) => {
      for (const name of names) {
        if (!isQueueName(name)) ctx.addIssue({ code: 'custom', message: `unknown queue "${name}" (known: ${QUEUE_NAMES.join(', ')})` });
      }
    }),
  )
  .transform((names) => [...new Set(names)] as QueueName[]);

/** "photo=4,image=1" → { photo: 4, image: 1 }. */
const concurrencyMap = z
  .preprocess(
    (value) => {
      if (value === undefined || value === '') return {};
      if (typeof value !== 'string') return value;
      return Object.fromEntries(
        value
          .split(',')
          .filter(Boolean)
          .map((pair) => {
            const [name, count] = pair.split('=').map((s) => s.trim());
            return [name, Number(count)];
          }),
      );
    },
    z.record(z.string(), z.number().int().min(1).max(64)).superRefine((map, ctx) => {
      for (const name of Object.keys(map)) {
        if (!isQueueName(name)) ctx.addIssue({ code: 'custom', message: `unknown queue "${name}" in queue=count pairs` });
      }
    }),
  )
  .transform((map) => map as Partial<Record<QueueName, number>>);

/** Every environment variable the app reads, with its default and limits (README's configuration table is checked against it). */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: intFrom(3000, 0, 65535),
    PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    TRUST_PROXY: booleanFlag(false),
    CLIENT_MODE: z.preprocess(emptyAsUndefined, z.enum(['vite', 'static', 'off']).optional()),
    VITE_HMR_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).optional()),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: z.preprocess(emptyAsUndefined, z.enum(['json', 'pretty']).optional()),
    DATABASE_URL: mysqlUrl.default('mysql://root@127.0.0.1:3306/concert_history'),
    DATABASE_REPLICA_URLS: z.preprocess((v) => commaList(emptyAsUndefined(v)) ?? [], z.array(mysqlUrl)),
    DATABASE_READ_YOUR_WRITES_MS: intFrom(5_000, 0, 600_000),
    DATABASE_POOL_SIZE: intFrom(10, 1, 500),
    DATABASE_SLOW_QUERY_MS: intFrom(200, 0, 600_000),
    REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
    REDIS_CACHE_URL: z.preprocess(emptyAsUndefined, redisUrl.optional()),
    SENTRY_DSN: z.preprocess(
      emptyAsUndefined,
      z.url({ protocol: /^https?$/, message: 'must be a Sentry DSN (https://key@host/project)' }).optional(),
    ),
    SENTRY_TRACES_SAMPLE_RATE: z.preprocess(emptyAsUndefined, z.coerce.number().min(0).max(1).default(0.1)),
    SENTRY_ENVIRONMENT: optionalString,
    SMTP_URL: z.preprocess(
      emptyAsUndefined,
      z.url({ protocol: /^smtps?$/, message: 'must be smtp://user:password@host:port or smtps://…' }).optional(),
    ),
    MAIL_FROM: z.string().min(3).default('Concert History <no-reply@concert-history.local>'),
    RATE_LIMIT_API_PER_MIN: intFrom(100, 0, 1_000_000),
    RATE_LIMIT_SIGNUPS_PER_HOUR: intFrom(5, 0, 100_000),
    TRPC_MAX_BODY_KB: intFrom(1_024, 16, 100 * 1_024),
    WEB_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(256).optional()),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,40}$/, 'letters, digits, _ and - only')
      .default('ch'),
    SESSION_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    WORKER_QUEUES: queueList,
    WORKER_CONCURRENCY: concurrencyMap,
    WORKER_SHUTDOWN_TIMEOUT_MS: intFrom(30_000, 100, 3_600_000),
    WORKER_LOCK_DURATION_MS: intFrom(30_000, 1_000, 600_000),
    INLINE_QUEUES: z.preprocess(
      (value) => commaList(emptyAsUndefined(value)) ?? [],
      z.array(z.enum(INLINE_ABLE_QUEUES, { message: `only queues of small jobs can run inline: ${INLINE_ABLE_QUEUES.join(', ')}` })),
    ),
    WORKER_METRICS_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).optional()),
    DATA_DIR: z.string().min(1).default('.data'),
    STORAGE: z.enum(['local', 's3']).default('local'),
    S3_ENDPOINT: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
    S3_BUCKET: optionalString.pipe(
      z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid bucket name')
        .optional(),
    ),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_FORCE_PATH_STYLE: booleanFlag(false),
    AWS_ACCESS_KEY_ID: optionalString,
    AWS_SECRET_ACCESS_KEY: optionalString,
    AWS_SESSION_TOKEN: optionalString,
    CDN_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
    /** Raster map tiles for the stats map, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; unset: the bundled outline map. */
    MAP_TILE_URL: z.preprocess(emptyAsUndefined, tileUrlTemplate.optional()),
    MAP_TILE_ATTRIBUTION: z.string().trim().min(1).max(200).default('© OpenStreetMap contributors'),
    MEDIA_URL_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    MEDIA_URL_TTL_SECONDS: intFrom(86_400, 300, 7 * 86_400),
    LOCAL_IMPORT_ROOTS: z.preprocess(emptyAsUndefined, z.string().optional()),
    LOCAL_IMPORT_SHARED: booleanFlag(false),
    UPLOAD_MAX_FILE_MB: intFrom(50, 1, 2_000),
    UPLOAD_MAX_FILES: intFrom(1_000, 1, 100_000),
    UPLOAD_QUOTA_MB: intFrom(10_240, 0, 1_000_000_000),
    UPLOAD_RATE_MB_PER_HOUR: intFrom(2_048, 0, 1_000_000_000),
    UPLOAD_TEMP_DIR: optionalString,
    IMAGE_MAX_PIXELS: intFrom(100_000_000, 1_000_000, 1_000_000_000),
    DEDUP_NEAR_THRESHOLD: intFrom(10, 0, 15),
    DEDUP_BURST_WINDOW_SECONDS: intFrom(10, 1, 3_600),
    INGEST_ATTEMPTS: intFrom(5, 1, 20),
    INGEST_MAX_FILE_MB: intFrom(200, 1, 100_000),
    /** Videos are copied into storage to be streamed: a cap of their own (a minute of 4K is ~400 MB). */
    INGEST_MAX_VIDEO_MB: intFrom(2_048, 1, 100_000),
    UPLOAD_MAX_VIDEO_MB: intFrom(1_024, 1, 100_000),
    FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
    VIDEO_POSTER_TIMEOUT_SECONDS: intFrom(30, 1, 600),
    EVENT_RADIUS_M: intFrom(300, 20, 5_000),
    VENUE_SEARCH_RADIUS_M: intFrom(250, 20, 2_000),
    OVERPASS_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
    SETLISTFM_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.setlist.fm/rest/1.0'),
    SETLISTFM_API_KEY: optionalString,
    /** setlist.fm's standard keys allow about 2 a second; requests leave evenly spaced, never in a burst. */
    SETLISTFM_RATE_PER_SECOND: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(100).default(2)),
    /** setlist.fm's standard keys allow 1,440 requests a day; counted per UTC day by every process together. */
    SETLISTFM_DAILY_LIMIT: intFrom(1_440, 1, 10_000_000),
    GOOGLE_CLIENT_ID: optionalString,
    GOOGLE_CLIENT_SECRET: optionalString,
    GOOGLE_DRIVE_API_URL: z.url().default('https://www.googleapis.com/drive/v3'),
    GOOGLE_OAUTH_AUTH_URL: z.url().default('https://accounts.google.com/o/oauth2/v2/auth'),
    GOOGLE_OAUTH_TOKEN_URL: z.url().default('https://oauth2.googleapis.com/token'),
    GOOGLE_USERINFO_URL: z.url().default('https://openidconnect.googleapis.com/v1/userinfo'),
    TOKEN_ENCRYPTION_KEY: optionalString.pipe(
      z
        .string()
        .optional()
        .superRefine((value, ctx) => {
          if (value === undefined) return;
          try {
            parseSecretKey(value);
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: (error as Error).message });
          }
        }),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.GOOGLE_CLIENT_ID || env.GOOGLE_CLIENT_SECRET) {
      for (const name of ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'TOKEN_ENCRYPTION_KEY'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required to connect Google Drive' });
      }
    }
    if (env.STORAGE === 's3' && !env.S3_BUCKET) {
      ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'is required when STORAGE=s3' });
    }
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production (32+ random characters)' });
    }
  });

/** Folders users may import from; by default the demo library's parent in development, none in production. */
function importRoots(value: string | undefined, dataDir: string, env: string): string[] {
  if (value !== undefined)
    return value
      .split(':')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => resolve(p));
  return env === 'production' ? [] : [resolve(dataDir, 'libraries')];
}

type Env = z.output<typeof envSchema>;

/** Beside local storage by default; with S3 the data folder may not be writable, the system's temp folder is. */
function uploadTempDir(e: Env): string {
  if (e.UPLOAD_TEMP_DIR) return resolve(e.UPLOAD_TEMP_DIR);
  return e.STORAGE === 'local' ? resolve(e.DATA_DIR, 'tmp', 'uploads') : resolve(tmpdir(), 'concert-history-uploads');
}

function secretOfThisInstall(dataDir: string): string {
  try {
    return installSecret(resolve(dataDir));
  } catch (error) {
    throw new Error(
      `SESSION_SECRET is not set and no secret could be kept in ${resolve(dataDir, INSTALL_SECRET_FILE)} (${(error as Error).message}); set SESSION_SECRET or make DATA_DIR writable`,
    );
  }
}

function storageConfig(e: Env) {
  if (e.STORAGE === 's3') {
    return {
      kind: 's3' as const,
      bucket: e.S3_BUCKET!,
      region: e.S3_REGION,
      endpoint: e.S3_ENDPOINT ?? null,
      forcePathStyle: e.S3_FORCE_PATH_STYLE,
      credentials:
        e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY
          ? {
              accessKeyId: e.AWS_ACCESS_KEY_ID,
              secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
              ...(e.AWS_SESSION_TOKEN ? { sessionToken: e.AWS_SESSION_TOKEN } : {}),
            }
          : null,
    };
  }
  return { kind: 'local' as const, root: resolve(e.DATA_DIR, 'objects') };
}

// sharp runs one thread per job (worker/bootstrap.ts), so queue concurrency alone decides how many
// cores image work takes. photo: one job per core plus one that is always between its I/O steps keeps
// the cores busy without two jobs fighting over one; image: one per core (its decode and three encodes
// are all CPU).
const DEFAULT_CONCURRENCY: Record<QueueName, number> = {
  scan: 1,
  photo: availableParallelism() + 1,
  venue: 2,
  match: 2,
  image: availableParallelism(),
  schedule: 1,
  mail: 2,
  export: 1,
};

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error);
  const e = parsed.data;
  // Production requires SESSION_SECRET (above); elsewhere this install's own, never a constant of the source.
  const sessionSecret = e.SESSION_SECRET ?? secretOfThisInstall(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    clientMode: e.CLIENT_MODE ?? ({ development: 'vite', production: 'static', test: 'off' } as const)[e.NODE_ENV],
    /** Vite's hot-reload socket (CLIENT_MODE=vite), on HOST; null: a free port. */
    viteHmrPort: e.VITE_HMR_PORT ?? null,
    /** maxTrpcBodyBytes: a larger /trpc request body is refused with 413 before it is read. */
    http: {
      host: e.HOST,
      port: e.PORT,
      publicUrl: e.PUBLIC_URL,
      trustProxy: e.TRUST_PROXY,
      maxTrpcBodyBytes: e.TRPC_MAX_BODY_KB * 1_024,
      /** Web processes sharing the port (node:cluster): one per core in production, one elsewhere (hot reload, tests). */
      processes: e.WEB_CONCURRENCY ?? (e.NODE_ENV === 'production' ? availableParallelism() : 1),
    },
    logLevel: e.LOG_LEVEL,
    /** JSON lines for machines (production, tests), one readable line per entry for a person at a terminal (development). */
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'development' ? ('pretty' as const) : ('json' as const)),
    database: {
      url: e.DATABASE_URL,
      replicaUrls: e.DATABASE_REPLICA_URLS,
      /** After a user's own write, that user's reads go to the primary this long (replicas only). */
      readYourWritesMs: e.DATABASE_READ_YOUR_WRITES_MS,
      poolSize: e.DATABASE_POOL_SIZE,
      slowQueryMs: e.DATABASE_SLOW_QUERY_MS,
    },
    /** cacheUrl: sessions and the view cache, which may evict; url: queues, scan progress, rate limits (noeviction). */
    redis: { url: e.REDIS_URL, cacheUrl: e.REDIS_CACHE_URL ?? e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX },
    /** Null without a DSN: Sentry is not initialised and nothing is sent. */
    sentry: e.SENTRY_DSN
      ? { dsn: e.SENTRY_DSN, tracesSampleRate: e.SENTRY_TRACES_SAMPLE_RATE, environment: e.SENTRY_ENVIRONMENT ?? e.NODE_ENV }
      : null,
    /** Null without SMTP_URL: no mail is sent (jobs that would send one record nothing). */
    mail: e.SMTP_URL
      ? {
          smtpUrl: e.SMTP_URL,
          from: e.MAIL_FROM,
          /** Signs one-click unsubscribe links (they work without a session). Derived from the session secret. */
          unsubscribeSecret: `unsubscribe:${sessionSecret}`,
        }
      : null,
    /**
     * Per-user tRPC calls a minute (sliding window) and sign-up attempts (also on existing emails) an hour per
     * address (an IPv6 /64); 0 turns either off. Scan, login and live-stream limits are fixed (rate-limit/limits.ts).
     */
    rateLimits: { apiPerMinute: e.RATE_LIMIT_API_PER_MIN, signupsPerHour: e.RATE_LIMIT_SIGNUPS_PER_HOUR },
    session: { secret: sessionSecret, maxAgeMs: 30 * 24 * 60 * 60 * 1000 },
    dataDir: resolve(e.DATA_DIR),
    storage: storageConfig(e),
    media: {
      /** Media URLs point here when set (a CDN in front of /media or of the bucket), else at this app's /media. */
      cdnBaseUrl: e.CDN_BASE_URL?.replace(/\/+$/, '') ?? null,
      /** Signs media URLs; shared with the CDN's edge check. Derived from the session secret unless set. */
      urlSecret: e.MEDIA_URL_SECRET ?? `media-urls:${sessionSecret}`,
      urlTtlSeconds: e.MEDIA_URL_TTL_SECONDS,
      maxPixels: e.IMAGE_MAX_PIXELS,
      thumbnailWidth: 400,
      /** Debian's ffmpeg (scripts/ensure-ffmpeg.sh) makes a video's poster frame, within this time; without it a video has none. */
      ffmpegPath: e.FFMPEG_PATH,
      posterTimeoutMs: e.VIDEO_POSTER_TIMEOUT_SECONDS * 1000,
    },
    /** The stats map's raster tiles when an operator configured a tile server; null: the offline outline map. */
    map: {
      tiles: e.MAP_TILE_URL
        ? { urlTemplate: e.MAP_TILE_URL, origin: new URL(e.MAP_TILE_URL.replace(/\{[zxy]\}/g, '0')).origin, attribution: e.MAP_TILE_ATTRIBUTION }
        : null,
    },
    imports: {
      localRoots: importRoots(e.LOCAL_IMPORT_ROOTS, e.DATA_DIR, e.NODE_ENV),
      /** false: each user imports only from `<root>/<their user id>` (server/sources/local-import-grants.ts); true: one household, anywhere under the roots. */
      localShared: e.LOCAL_IMPORT_SHARED,
      maxUploadBytes: e.UPLOAD_MAX_FILE_MB * 1024 * 1024,
      /** A video (MOV, MP4 by content) may be this large; photos keep maxUploadBytes. */
      maxUploadVideoBytes: e.UPLOAD_MAX_VIDEO_MB * 1024 * 1024,
      maxUploadFiles: e.UPLOAD_MAX_FILES,
      /** Per user, over all their uploads; null: no quota. */
      uploadQuotaBytes: e.UPLOAD_QUOTA_MB > 0 ? e.UPLOAD_QUOTA_MB * 1024 * 1024 : null,
      /** Per user, a sliding hour; null: no limit. */
      uploadBytesPerHour: e.UPLOAD_RATE_MB_PER_HOUR > 0 ? e.UPLOAD_RATE_MB_PER_HOUR * 1024 * 1024 : null,
      /** Where a web server keeps an upload's bytes while it receives them (its own disk; swept, see upload-temp-files.ts). */
      uploadTempDir: uploadTempDir(e),
    },
    dedup: { nearThreshold: e.DEDUP_NEAR_THRESHOLD, burstWindowSeconds: e.DEDUP_BURST_WINDOW_SECONDS },
    /** maxFileBytes: a larger file of any library (folder, Drive, uploads) is failed with a reason instead of read. */
    ingest: { attempts: e.INGEST_ATTEMPTS, maxFileBytes: e.INGEST_MAX_FILE_MB * 1024 * 1024, maxVideoBytes: e.INGEST_MAX_VIDEO_MB * 1024 * 1024 },
    matching: {
      /** Photos of one evening within this distance of each other are one event. */
      eventRadiusMeters: e.EVENT_RADIUS_M,
      /** Known venues this close to an event are taken without asking OpenStreetMap. */
      venueSearchRadiusMeters: e.VENUE_SEARCH_RADIUS_M,
      /** Null: OpenStreetMap is not asked, events without a known venue need review. */
      overpassUrl: e.OVERPASS_URL ?? null,
      /** Null without an API key: concerts are not looked up on setlist.fm. */
      setlistfm: e.SETLISTFM_API_KEY
        ? {
            apiUrl: e.SETLISTFM_API_URL.replace(/\/+$/, ''),
            apiKey: e.SETLISTFM_API_KEY,
            /** Shared by every process: requests a second (evenly spaced) and a UTC day (server/rate-limit/daily-budget.ts). */
            ratePerSecond: e.SETLISTFM_RATE_PER_SECOND,
            dailyLimit: e.SETLISTFM_DAILY_LIMIT,
          }
        : null,
    },
    /** Null unless Google Drive is configured (client id, secret and a token encryption key). */
    google:
      e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET && e.TOKEN_ENCRYPTION_KEY
        ? {
            clientId: e.GOOGLE_CLIENT_ID,
            clientSecret: e.GOOGLE_CLIENT_SECRET,
            driveApiUrl: e.GOOGLE_DRIVE_API_URL,
            authUrl: e.GOOGLE_OAUTH_AUTH_URL,
            tokenUrl: e.GOOGLE_OAUTH_TOKEN_URL,
            userinfoUrl: e.GOOGLE_USERINFO_URL,
            tokenEncryptionKey: parseSecretKey(e.TOKEN_ENCRYPTION_KEY),
          }
        : null,
    worker: {
      queues: e.WORKER_QUEUES,
      concurrency: { ...DEFAULT_CONCURRENCY, ...e.WORKER_CONCURRENCY } as Record<QueueName, number>,
      shutdownTimeoutMs: e.WORKER_SHUTDOWN_TIMEOUT_MS,
      /** A crashed worker's jobs go back to the queue this long after its last lock renewal. */
      lockDurationMs: e.WORKER_LOCK_DURATION_MS,
      /** Where a worker serves GET /metrics (job durations); null: not served. */
      metricsPort: e.WORKER_METRICS_PORT ?? null,
      /** Rollback switch: the web server runs these queues' jobs in the request instead of queueing them. */
      inlineQueues: [...new Set(e.INLINE_QUEUES)] as QueueName[],
    },
  };
}

export type AppConfig = ReturnType<typeof loadConfig>;

/** One message naming every bad variable, so an operator fixes them all at once. */
export class ConfigError extends Error {
  constructor(readonly zodError: z.ZodError) {
    const lines = zodError.issues.map((issue) => `  - ${issue.path.join('.') || '(environment)'}: ${issue.message}`);
    super(`Invalid configuration; fix these environment variables:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** For entrypoints: load or exit(1) with the message, never a stack trace. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
