import { describe, expect, it } from 'vitest';
import { JOBS, type JobInput, type JobName } from '../../shared/jobs.js';
import { QUEUE_NAMES } from '../../shared/queues.js';
import { jobIdOf, parseRescanSchedulerId, schedulerIdOf } from './job-ids.js';
import { jobOptions } from './queues.js';

const file = { fileId: 'Concerts/2019: Paris/IMG_1.JPG', name: 'IMG_1.JPG', mimeType: 'image/jpeg', size: 10, fingerprint: 'f' };
const event = {
  scanId: 7,
  userId: 3,
  eventKey: '2019-07-05@48.870,2.328',
  evening: '2019-07-05',
  latitude: 48.87,
  longitude: 2.33,
  timeZone: 'Europe/Paris',
};
/** A payload of every job, as its producer makes it. */
const SAMPLES: { [Name in JobName]: JobInput<Name> } = {
  'scan-source': { scanId: 7, userId: 3, sourceId: 2 },
  'ingest-photo': { scanId: 7, userId: 3, sourceId: 2, file },
  'dedup-scan': { scanId: 7, userId: 3 },
  'group-events': { scanId: 7, userId: 3 },
  'detect-venue': event,
  'match-concert': { ...event, venueId: null, venueConfidence: null },
  'render-variants': { userId: 3, photoId: 11 },
  'build-export': { exportId: 5, userId: 3 },
  'expire-export': { exportId: 5, userId: 3 },
  'rescan-source': { userId: 3, sourceId: 2 },
  'on-this-day-sweep': {},
  'scan-finished-mail': { scanId: 7, userId: 3 },
  'send-mail': { kind: 'on_this_day', userId: 3, date: '2024-07-05' },
};
const names = Object.keys(JOBS) as JobName[];
const idOf = (name: JobName) => (JOBS[name].scheduler ? schedulerIdOf(name, SAMPLES[name] as never) : jobIdOf(name, SAMPLES[name] as never));

describe('the job table', () => {
  it('gives every job a known queue, a payload its sample fits, and exactly one of a job id or a scheduler id', () => {
    for (const name of names) {
      const definition = JOBS[name];
      expect(QUEUE_NAMES, name).toContain(definition.queue);
      expect(definition.payload.safeParse(SAMPLES[name]).success, name).toBe(true);
      expect(Boolean(definition.id) !== Boolean(definition.scheduler), name).toBe(true);
    }
  });

  it('makes ids that are deterministic, free of ":" and never all digits, as BullMQ needs', () => {
    for (const name of names) {
      const id = idOf(name);
      expect(id, name).toBe(idOf(name));
      expect(id, name).not.toContain(':');
      expect(id, name).not.toMatch(/^\d+$/);
    }
    expect(jobIdOf('ingest-photo', SAMPLES['ingest-photo'])).toMatch(/^ingest-7-[0-9a-f]{32}$/);
    expect(jobIdOf('ingest-photo', { ...SAMPLES['ingest-photo'], file: { ...file, fileId: 'other' } })).not.toBe(idOf('ingest-photo'));
  });

  it('reads a rescan scheduler id back into its user and source', () => {
    expect(parseRescanSchedulerId(schedulerIdOf('rescan-source', { userId: 3, sourceId: 2 }))).toEqual({ userId: 3, sourceId: 2 });
    expect(parseRescanSchedulerId(schedulerIdOf('on-this-day-sweep', {}))).toBeNull();
  });

  it('turns each retry policy into BullMQ options, INGEST_ATTEMPTS included', () => {
    expect(jobOptions('ingest-photo', { ingestAttempts: 9 })).toMatchObject({
      attempts: 9,
      backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
    });
    expect(jobOptions('send-mail', { ingestAttempts: 9 }).attempts).toBe(8);
    expect(jobOptions('render-variants', { ingestAttempts: 9 }).removeOnComplete).toBe(true);
  });
});
