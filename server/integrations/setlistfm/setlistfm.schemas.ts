/**
 * The JSON of setlist.fm API 1.0 (https://api.setlist.fm/docs/1.0/), as the live
 * API sends it, which differs from the documentation in places: songs sit under
 * `sets.set[]` (the docs show a top-level `set`), city ids are GeoNames ids as
 * strings, and fields the docs list may be missing or null. Parsing is tolerant:
 * unknown keys are dropped, optional fields may be absent or null.
 */
import { z } from 'zod';
import { normaliseName } from '../../../shared/text-normalise.js';

/**
 * Text people will read (names, tours, songs), normalised on the way in: these
 * become shared facts, so no control, zero-width or bidi characters get through.
 */
const shownText = z.string().transform(normaliseName);

/** Absent or null on the wire; both mean "not known". */
const optional = <S extends z.ZodType>(schema: S) => schema.nullish();

export const setlistFmCountrySchema = z.object({
  /** ISO 3166-1 alpha-2. */
  code: z.string(),
  name: shownText,
});

export const setlistFmCoordsSchema = z.object({
  lat: z.number(),
  long: z.number(),
});

export const setlistFmCitySchema = z.object({
  /** GeoNames id, as a string. */
  id: z.string(),
  name: shownText,
  state: optional(shownText),
  stateCode: optional(z.string()),
  coords: optional(setlistFmCoordsSchema),
  country: setlistFmCountrySchema,
});

export const setlistFmVenueSchema = z.object({
  /** Short hex string; usually 8 characters, sometimes 7. */
  id: z.string(),
  name: shownText,
  url: optional(z.string()),
  /** The docs allow a venue without a city (the city may then be part of its name). */
  city: optional(setlistFmCitySchema),
});

export const setlistFmArtistSchema = z.object({
  mbid: z.string(),
  name: shownText,
  sortName: optional(shownText),
  disambiguation: optional(shownText),
  url: optional(z.string()),
});

/** `cover` and `with` are artists, sometimes without an mbid. */
const songArtistSchema = setlistFmArtistSchema.extend({ mbid: optional(z.string()) });

export const setlistFmSongSchema = z.object({
  /** Empty for a song nobody could name. */
  name: shownText,
  info: optional(shownText),
  tape: optional(z.boolean()),
  cover: optional(songArtistSchema),
  with: optional(songArtistSchema),
});

export const setlistFmSetSchema = z.object({
  name: optional(shownText),
  /** 1 for the first encore, 2 for the second; absent for the main set. */
  encore: optional(z.number().int()),
  song: z.array(setlistFmSongSchema).default([]),
});

/** dd-MM-yyyy, the only date format the API reads and writes. */
export const setlistFmDateSchema = z.string().regex(/^\d{2}-\d{2}-\d{4}$/, 'must be dd-MM-yyyy');

export const setlistFmSetlistSchema = z.object({
  id: z.string(),
  versionId: optional(z.string()),
  eventDate: setlistFmDateSchema,
  lastUpdated: optional(z.string()),
  artist: setlistFmArtistSchema,
  venue: setlistFmVenueSchema,
  tour: optional(z.object({ name: shownText })),
  // A stub (the show is listed, nobody entered songs) comes as {"set": []}; anything
  // else that is not an object with a list reads as no sets rather than failing the page.
  sets: z.preprocess(
    (value) => (value && typeof value === 'object' && Array.isArray((value as { set?: unknown }).set) ? value : { set: [] }),
    z.object({ set: z.array(setlistFmSetSchema) }),
  ),
  info: optional(shownText),
  url: optional(z.string()),
});

const page = {
  total: z.number().int().min(0),
  page: z.number().int().min(1),
  itemsPerPage: z.number().int().min(1),
};

export const setlistFmVenuePageSchema = z.object({ ...page, venue: z.array(setlistFmVenueSchema).default([]) });
export const setlistFmSetlistPageSchema = z.object({ ...page, setlist: z.array(setlistFmSetlistSchema).default([]) });
export const setlistFmArtistPageSchema = z.object({ ...page, artist: z.array(setlistFmArtistSchema).default([]) });

/** The body of an error answer: setlist.fm's own errors carry code/status/message, the API gateway's only a message. */
export const setlistFmErrorSchema = z.object({
  code: optional(z.number()),
  status: optional(z.string()),
  message: optional(z.string()),
});

export type SetlistFmCity = z.infer<typeof setlistFmCitySchema>;
export type SetlistFmVenue = z.infer<typeof setlistFmVenueSchema>;
export type SetlistFmArtist = z.infer<typeof setlistFmArtistSchema>;
export type SetlistFmSong = z.infer<typeof setlistFmSongSchema>;
export type SetlistFmSet = z.infer<typeof setlistFmSetSchema>;
export type SetlistFmSetlist = z.infer<typeof setlistFmSetlistSchema>;
export type SetlistFmVenuePage = z.infer<typeof setlistFmVenuePageSchema>;
export type SetlistFmSetlistPage = z.infer<typeof setlistFmSetlistPageSchema>;
export type SetlistFmArtistPage = z.infer<typeof setlistFmArtistPageSchema>;

/** Local yyyy-MM-dd (our dates) to setlist.fm's dd-MM-yyyy. */
export function toSetlistFmDate(localDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  if (!match) throw new RangeError(`"${localDate}" is not a yyyy-MM-dd date`);
  return `${match[3]}-${match[2]}-${match[1]}`;
}

/** setlist.fm's dd-MM-yyyy to yyyy-MM-dd; never through Date, the day has no zone. */
export function fromSetlistFmDate(eventDate: string): string {
  const match = /^(\d{2})-(\d{2})-(\d{4})$/.exec(eventDate);
  if (!match) throw new RangeError(`"${eventDate}" is not a dd-MM-yyyy date`);
  return `${match[3]}-${match[2]}-${match[1]}`;
}
