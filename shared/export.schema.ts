import { z } from 'zod';
import { CONCERT_STATUSES } from './concert.schema.js';
import { HISTORY_EXPORT_FORMATS } from './export.js';

/**
 * One concert of the history export (GET /api/export/history.json answers an
 * array of these, oldest first; history.csv has the same rows, one column per
 * field, lists joined). This schema is the documented shape: change it and the
 * export changes with it.
 */
export const historyExportRowSchema = z.strictObject({
  /** The local date of the evening, yyyy-mm-dd. */
  date: z.iso.date(),
  artist: z.string().nullable(),
  /** The artist's MusicBrainz id, when known. */
  artistMbid: z.string().nullable(),
  venue: z.string().nullable(),
  city: z.string().nullable(),
  /** ISO 3166-1 alpha-2. */
  country: z.string().length(2).nullable(),
  tour: z.string().nullable(),
  /** The festival this act was seen at (its name); null for a show of its own. */
  festival: z.string().nullable(),
  /** `needs_review` when the machine was not sure and nobody has confirmed it yet. */
  status: z.enum(CONCERT_STATUSES),
  /** Names, in billing order. */
  supportingActs: z.array(z.string()),
  /** Every song of every set in order; `tape` songs were played from tape (intros, outros), not live. */
  setlist: z.array(z.strictObject({ name: z.string(), tape: z.boolean() })),
  /** Songs played live: the setlist without tape. */
  songCount: z.number().int().nonnegative(),
  /** Photos shown in the concert (hidden duplicates and failed files are not counted). */
  photoCount: z.number().int().nonnegative(),
  starredCount: z.number().int().nonnegative(),
  notes: z.string().nullable(),
  /** The setlist's page on setlist.fm, where its data came from. */
  setlistfmUrl: z.string().nullable(),
});
export type HistoryExportRow = z.infer<typeof historyExportRowSchema>;

const exportId = z.number().int().positive();

/** `exports.start`: builds a file of the whole history in the background. */
export const exportStartInput = z.object({ format: z.enum(HISTORY_EXPORT_FORMATS) });
/** `exports.get`: one export's state, and its download link once built. */
export const exportGetInput = z.object({ exportId });
export const exportListInput = z.object({ limit: z.number().int().min(1).max(20).default(5) }).default({ limit: 5 });
