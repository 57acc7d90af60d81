/**
 * Payloads of every job, validated by the worker before a handler runs. Jobs carry
 * ids and facts, never secrets: a worker loads tokens from the database itself.
 */
import { z } from 'zod';

const id = z.number().int().positive();
const requestId = z.string().max(64).optional();
const isoDate = z.iso.datetime({ offset: true }).nullable().optional().transform((value) => (value ? new Date(value) : null));
const nullableNumber = z.number().finite().nullable().optional();
const nullableText = (max: number) => z.string().max(max).nullable().optional();

export const scanSourcePayload = z.object({ scanId: id, userId: id, sourceId: id, requestId });

export const sourceFilePayload = z.object({
  fileId: z.string().min(1).max(255),
  name: z.string().max(1024),
  mimeType: nullableText(100),
  size: z.number().int().min(0).nullable(),
  fingerprint: z.string().min(1).max(128),
  metadata: z
    .object({
      takenAt: isoDate,
      latitude: nullableNumber,
      longitude: nullableNumber,
      width: nullableNumber,
      height: nullableNumber,
      cameraMake: nullableText(100),
      cameraModel: nullableText(100),
      md5: z.string().regex(/^[0-9a-f]{32}$/).nullable().optional(),
      hasThumbnail: z.boolean().optional(),
      thumbnailLink: z.url({ protocol: /^https?$/ }).max(2048).nullable().optional(),
    })
    .optional(),
});

export const ingestPhotoPayload = z.object({ scanId: id, userId: id, sourceId: id, file: sourceFilePayload, requestId });

export const dedupScanPayload = z.object({ scanId: id, userId: id, requestId });

/** After dedup: the scan's photos become events (evenings at one place). */
export const groupEventsPayload = z.object({
  scanId: id,
  userId: id,
  requestId,
  /** What went wrong earlier in the scan without stopping it, kept for the scan's record. */
  note: z.string().max(1000).optional(),
});

const eventOfScan = {
  scanId: id,
  userId: id,
  eventKey: z.string().min(1).max(64),
  evening: z.iso.date(),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  timeZone: z.string().max(64).nullable(),
  requestId,
};

export const detectVenuePayload = z.object(eventOfScan);

export const matchConcertPayload = z.object({
  ...eventOfScan,
  venueId: id.nullable(),
  venueConfidence: z.number().min(0).max(1).nullable(),
});

/** A starred photo's 400/800/1200 px variants. */
export const renderVariantsPayload = z.object({ userId: id, photoId: id, requestId });

/** Builds one history export (a row of history_exports) into storage. */
export const buildExportPayload = z.object({ exportId: id, userId: id, requestId });

/** Deletes an export's file once its retention has passed. */
export const expireExportPayload = z.object({ exportId: id, userId: id });

/** A source's rescan schedule fired (queue `schedule`); the job template of its job scheduler. */
export const rescanSourcePayload = z.object({ userId: id, sourceId: id });

/** The hourly "on this day" sweep (queue `schedule`); the scheduler's jobs carry nothing. */
export const onThisDaySweepPayload = z.object({});

/** A scan completed: decide which mails it earns (scan finished, a milestone). */
export const scanFinishedMailPayload = z.object({ scanId: id, userId: id, requestId });

/** One mail for one event; the kind's facts are read again when it is sent. */
export const sendMailPayload = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('scan_finished'), userId: id, scanId: id, requestId }),
  z.object({ kind: z.literal('milestone'), userId: id, milestone: id, requestId }),
  z.object({ kind: z.literal('on_this_day'), userId: id, date: z.iso.date(), requestId }),
]);

export const JOB_NAMES = {
  scanSource: 'scan-source',
  ingestPhoto: 'ingest-photo',
  dedupScan: 'dedup-scan',
  groupEvents: 'group-events',
  detectVenue: 'detect-venue',
  matchConcert: 'match-concert',
  renderVariants: 'render-variants',
  buildExport: 'build-export',
  expireExport: 'expire-export',
  rescanSource: 'rescan-source',
  onThisDaySweep: 'on-this-day-sweep',
  scanFinishedMail: 'scan-finished-mail',
  sendMail: 'send-mail',
} as const;
