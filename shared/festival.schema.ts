/** Festivals (issue 19): inputs of the festival procedures and the rules both ends share. */
import { z } from 'zod';
import { artistRefSchema, concertDateSchema } from './concert.schema.js';
import { normaliseName } from './text-normalise.js';

/** Where a festival came from: setlist.fm's lineup at the site, or the user saying so. */
export const FESTIVAL_SOURCES = ['setlistfm', 'user'] as const;

const id = z.number().int().positive();
const name = z.string().max(1000).transform(normaliseName).pipe(z.string().min(1, 'Use a name with visible letters').max(255));
/** A local wall-clock time of a set: 'HH:mm', 24-hour. */
const setTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time like 21:30');

export const festivalIdInput = z.object({ festivalId: id });
export const festivalPendingInput = z.object({ festivalId: id.optional() }).default({});

/** One click in the inbox: this cluster of photos was this act. */
export const festivalAssignInput = z.object({ festivalId: id, actId: id, photoIds: z.array(id).min(1).max(1000) });

/** A set's times, entered once: every cluster that fits one act alone then goes to it. */
export const festivalSetTimesInput = z.object({ actId: id, setStart: setTime, setEnd: setTime });

export const festivalRenameInput = z.object({ festivalId: id, name });

/** The user says a concert was a festival: its photos go back to be assigned act by act. */
export const festivalFromConcertInput = z.object({ concertId: id, name: name.optional() });

/** An act setlist.fm does not know, added to a day's lineup by the user. */
export const festivalAddActInput = z.object({
  festivalId: id,
  dayDate: concertDateSchema,
  artist: artistRefSchema,
  stage: name.optional(),
});

/** The hour an evening ends (server/matching/evening.ts): a set time before it is after midnight. */
export const EVENING_ENDS_AT_HOUR = 5;

/** Minutes after the day's midnight; a time before 05:00 belongs to the evening, so it counts as the next calendar day. */
export function minutesIntoEvening(time: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return (hours < EVENING_ENDS_AT_HOUR ? hours + 24 : hours) * 60 + minutes;
}
