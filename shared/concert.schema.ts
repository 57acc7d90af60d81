import { z } from 'zod';
import { normaliseName, normaliseText } from './text-normalise.js';

export const supportingActSchema = z.object({
  name: z.string().min(1).max(255),
  mbid: z.string().length(36).optional(),
});
export type SupportingAct = z.infer<typeof supportingActSchema>;

export const setlistSongSchema = z.object({
  name: z.string().max(255),
  /** Played from tape, not live (setlist.fm `tape: true`). */
  tape: z.boolean().optional(),
  info: z.string().max(500).optional(),
  coverOf: z.string().max(255).optional(),
});

export const setlistSetSchema = z.object({
  name: z.string().max(255).optional(),
  encore: z.number().int().min(0).optional(),
  songs: z.array(setlistSongSchema).max(200),
});
export type SetlistSet = z.infer<typeof setlistSetSchema>;

export const CONCERT_STATUSES = ['confirmed', 'needs_review'] as const;

const id = z.number().int().positive();
const DAY_MS = 86_400_000;

/** The earliest concert anyone can have photos of; the timeline's year filter starts here too. */
export const EARLIEST_CONCERT_YEAR = 1900;
const EARLIEST_CONCERT_DATE = `${EARLIEST_CONCERT_YEAR}-01-01`;
/** The year filter's upper end: far enough ahead that it never refuses a year a concert can have. */
export const LATEST_CONCERT_YEAR = 2100;

/**
 * A concert's local evening date: a real calendar date from 1900 on, at most a day
 * ahead of UTC today (the evening may already have begun east of Greenwich). Every
 * date this accepts is a year the timeline's filter (`concertListInput.year`) accepts.
 */
export const concertDateSchema = z.iso
  .date('Use a real date (yyyy-MM-dd)')
  .refine((date) => date >= EARLIEST_CONCERT_DATE, `Use a date from ${EARLIEST_CONCERT_YEAR} on`)
  .refine((date) => date <= new Date(Date.now() + DAY_MS).toISOString().slice(0, 10), 'The date is in the future');

const countryCode = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'Use a two-letter country code')
  .transform((code) => code.toUpperCase());
/** A name others may read (an artist, venue, city, tour): normalised first (see shared/text-normalise.ts), then checked. */
const name = z.string().max(1000).transform(normaliseName).pipe(z.string().min(1, 'Use a name with visible letters').max(255));
const notes = z.string().max(5000).transform(normaliseText);

/** An artist already known by id, or by name (with its MusicBrainz id when picked from setlist.fm's search). */
export const artistRefSchema = z.union([
  z.strictObject({ artistId: id }),
  z.strictObject({ artistName: name, mbid: z.guid().optional(), sortName: name.optional() }),
]);
export type ArtistRef = z.output<typeof artistRefSchema>;

/** A known venue, or a new one named by the user (placed where the concert's photos were). */
export const venueRefSchema = z.union([
  z.strictObject({ venueId: id }),
  z.strictObject({ venueName: name, city: name.optional(), countryCode: countryCode.optional() }),
]);
export type VenueRef = z.output<typeof venueRefSchema>;

export const concertListInput = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(100).default(20),
    year: z.number().int().min(EARLIEST_CONCERT_YEAR).max(LATEST_CONCERT_YEAR).optional(),
    /** Searched in artist, venue and city; blank means no search. */
    q: z
      .string()
      .trim()
      .max(100)
      .transform((q) => q || undefined)
      .optional(),
  })
  .default({ limit: 20 });
export type ConcertListInput = z.output<typeof concertListInput>;

/** Artist autocomplete: the text normalised like the names it searches. */
export const artistSearchInput = z.object({
  q: z.string().max(400).transform(normaliseName).pipe(z.string().min(1).max(100)),
  limit: z.number().int().min(1).max(20).default(10),
});

export const concertIdInput = z.object({ id });
export const concertGetInput = concertIdInput;
export const concertDeleteInput = concertIdInput;

export const concertCreateInput = z.object({
  date: concertDateSchema,
  artist: artistRefSchema,
  venue: venueRefSchema.optional(),
  city: name.optional(),
  countryCode: countryCode.optional(),
  tour: name.optional(),
  notes: notes.optional(),
  /** Photos to put in the new concert (taken from wherever they were). */
  photoIds: z.array(id).max(1000).optional(),
});
export type ConcertCreateInput = z.output<typeof concertCreateInput>;

export const concertUpdateInput = z.object({
  id,
  artist: artistRefSchema.optional(),
  venue: venueRefSchema.optional(),
  date: concertDateSchema.optional(),
  /** Null clears. */
  notes: notes.nullable().optional(),
  tour: name.nullable().optional(),
});
export type ConcertUpdateInput = z.output<typeof concertUpdateInput>;

export const concertMergeInput = z
  .object({ targetId: id, sourceIds: z.array(id).min(1).max(50) })
  .refine((input) => !input.sourceIds.includes(input.targetId), {
    message: 'A concert cannot be merged into itself',
    path: ['sourceIds'],
  });
export type ConcertMergeInput = z.output<typeof concertMergeInput>;
