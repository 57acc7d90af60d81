/**
 * Every job of the product, defined once: its name (the key), the queue it runs on,
 * the zod schema of its payload (validated by the worker before a handler runs),
 * the function that makes its deterministic id, and its retry policy. Producers
 * (`server/queue/queues.ts`) and handlers (`worker/handlers.ts`, the scan stages in
 * `worker/scan-pipeline.ts`) derive their types from this table, so a job or queue
 * name that is not here does not compile. Jobs carry ids and facts, never secrets:
 * a worker loads tokens from the database itself.
 */
import { z } from 'zod';
import { mailEventKey } from './mail-events.js';
import type { QueueName } from './queues.js';

const id = z.number().int().positive();
const requestId = z.string().max(64).optional();
const isoDate = z.iso
  .datetime({ offset: true })
  .nullable()
  .optional()
  .transform((value) => (value ? new Date(value) : null));
const nullableNumber = z.number().finite().nullable().optional();
const nullableText = (max: number) => z.string().max(max).nullable().optional();

const scanOf = { scanId: id, userId: id, requestId };

export const sourceFilePayload = z.object({
  fileId: z.string().min(1).max(255),
  name: z.string().max(1024),
  mimeType: nullableText(100),
  size: z.number().int().min(0).nullable(),
  fingerprint: z.string().min(1).max(128),
  /** The file's modification time: a photo without any date in its metadata is dated by it, as a guess. */
  modifiedAt: isoDate.optional(),
  metadata: z
    .object({
      takenAt: isoDate,
      latitude: nullableNumber,
      longitude: nullableNumber,
      width: nullableNumber,
      height: nullableNumber,
      rotation: z.number().int().min(0).max(3).nullable().optional(),
      cameraMake: nullableText(100),
      cameraModel: nullableText(100),
      /** A video's length as the source reported it (Drive). */
      durationMs: z.number().int().min(0).nullable().optional(),
      md5: z
        .string()
        .regex(/^[0-9a-f]{32}$/)
        .nullable()
        .optional(),
      hasThumbnail: z.boolean().optional(),
      thumbnailLink: z
        .url({ protocol: /^https?$/ })
        .max(2048)
        .nullable()
        .optional(),
    })
    .optional(),
});

const eventOfScan = {
  ...scanOf,
  eventKey: z.string().min(1).max(64),
  evening: z.iso.date(),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  timeZone: z.string().max(64).nullable(),
};

/** Makes a long or arbitrary part (a file id, an event key) safe and short for a job id. */
export type Digest = (part: string) => string;

/** How often a job is tried (with exponential backoff and jitter between tries) and whether it is kept once done. */
export interface RetryPolicy {
  /** Tries in all; a function of the few settings operators may change (INGEST_ATTEMPTS). */
  attempts: number | ((settings: JobSettings) => number);
  /** Forgotten as soon as it completes, so the same id can be added again at once (a photo starred again). */
  removeOnComplete?: boolean;
}

export interface JobSettings {
  ingestAttempts: number;
}

export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  queue: QueueName;
  payload: Schema;
  /**
   * The job's id, deterministic so that adding it twice is a no-op in BullMQ; never containing
   * ':' (BullMQ's key separator) and never all digits (BullMQ's own ids). Jobs made by a job
   * scheduler have a `scheduler` id instead, one scheduler per id.
   */
  id?(payload: z.input<Schema>, digest: Digest): string;
  scheduler?(payload: z.input<Schema>): string;
  retry: RetryPolicy;
}

/** One entry of a job table: checks the queue name and types `id` from the payload schema. */
export function job<Queue extends QueueName, Schema extends z.ZodType>(
  definition: JobDefinition<Schema> & { queue: Queue },
): JobDefinition<Schema> & { queue: Queue } {
  return definition;
}

export type JobTable = Record<string, JobDefinition>;

export const JOBS = {
  // The scan pipeline (worker/scan-pipeline.ts says what each stage hands to the next).
  'scan-source': job({
    queue: 'scan',
    payload: z.object({ ...scanOf, sourceId: id }),
    id: ({ scanId }) => `scan-${scanId}`,
    retry: { attempts: 3 },
  }),
  'ingest-photo': job({
    queue: 'photo',
    payload: z.object({ ...scanOf, sourceId: id, file: sourceFilePayload }),
    /** One ingest per file per scan. */
    id: ({ scanId, file }, digest) => `ingest-${scanId}-${digest(file.fileId)}`,
    retry: { attempts: (settings) => settings.ingestAttempts },
  }),
  'dedup-scan': job({
    queue: 'photo',
    payload: z.object(scanOf),
    id: ({ scanId }) => `dedup-${scanId}`,
    retry: { attempts: 5 },
  }),
  /** After dedup: the scan's photos become events (evenings at one place). */
  'group-events': job({
    queue: 'venue',
    payload: z.object({
      ...scanOf,
      /** What went wrong earlier in the scan without stopping it, kept for the scan's record. */
      note: z.string().max(1000).optional(),
    }),
    id: ({ scanId }) => `events-${scanId}`,
    retry: { attempts: 5 },
  }),
  'detect-venue': job({
    queue: 'venue',
    payload: z.object(eventOfScan),
    id: ({ scanId, eventKey }, digest) => `venue-${scanId}-${digest(eventKey)}`,
    retry: { attempts: 5 },
  }),
  'match-concert': job({
    queue: 'match',
    payload: z.object({ ...eventOfScan, venueId: id.nullable(), venueConfidence: z.number().min(0).max(1).nullable() }),
    id: ({ scanId, eventKey }, digest) => `match-${scanId}-${digest(eventKey)}`,
    retry: { attempts: 5 },
  }),

  /** A starred photo's 400/800/1200 px variants; one job per photo at a time, and a finished one can run again. */
  'render-variants': job({
    queue: 'image',
    payload: z.object({ userId: id, photoId: id, requestId }),
    id: ({ userId, photoId }) => `variants-${userId}-${photoId}`,
    retry: { attempts: 5, removeOnComplete: true },
  }),

  /** Builds one history export (a row of history_exports) into storage; the last attempt records the failure for the user. */
  'build-export': job({
    queue: 'export',
    payload: z.object({ exportId: id, userId: id, requestId }),
    id: ({ exportId }) => `export-${exportId}`,
    retry: { attempts: 3 },
  }),
  /** Deletes an export's file once its retention has passed (added with a delay). */
  'expire-export': job({
    queue: 'export',
    payload: z.object({ exportId: id, userId: id }),
    id: ({ exportId }) => `export-expiry-${exportId}`,
    retry: { attempts: 5, removeOnComplete: true },
  }),

  /** A source's rescan schedule fired: one job scheduler per source, so two servers setting a schedule upsert the same one. */
  'rescan-source': job({
    queue: 'schedule',
    payload: z.object({ userId: id, sourceId: id }),
    scheduler: ({ userId, sourceId }) => `rescan-${userId}-${sourceId}`,
    retry: { attempts: 3 },
  }),
  /** The hourly "on this day" sweep; the scheduler's jobs carry nothing. */
  'on-this-day-sweep': job({
    queue: 'schedule',
    payload: z.object({}),
    scheduler: () => 'on-this-day-sweep',
    retry: { attempts: 3 },
  }),

  /** A scan completed: decide which mails it earns (scan finished, a milestone). */
  'scan-finished-mail': job({
    queue: 'mail',
    payload: z.object(scanOf),
    id: ({ scanId }) => `scan-mail-${scanId}`,
    retry: { attempts: 5 },
  }),
  /**
   * One mail for one event; the kind's facts are read again when it is sent. One job per
   * event (the mail ledger's idempotency key is the real guard; this saves the duplicate
   * job). Eight attempts back off over about eight minutes: longer than the ledger's lease,
   * so a job that waits on a crashed sender's claim outlives it.
   */
  'send-mail': job({
    queue: 'mail',
    payload: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('scan_finished'), userId: id, scanId: id, requestId }),
      z.object({ kind: z.literal('milestone'), userId: id, milestone: id, requestId }),
      z.object({ kind: z.literal('on_this_day'), userId: id, date: z.iso.date(), requestId }),
    ]),
    id: (event, digest) => `mail-${event.userId}-${digest(mailEventKey(event))}`,
    retry: { attempts: 8 },
  }),
} satisfies JobTable;

export type JobName = keyof typeof JOBS;
/** A job's payload as its handler receives it (parsed: dates are Dates). */
export type JobPayload<Name extends JobName> = z.output<(typeof JOBS)[Name]['payload']>;
/** A job's payload as a producer gives it (dates as ISO strings). */
export type JobInput<Name extends JobName> = z.input<(typeof JOBS)[Name]['payload']>;
/** The jobs of one queue. */
export type JobOfQueue<Queue extends QueueName> = { [Name in JobName]: (typeof JOBS)[Name]['queue'] extends Queue ? Name : never }[JobName];

export function isJobName(value: string): value is JobName {
  return Object.hasOwn(JOBS, value);
}
