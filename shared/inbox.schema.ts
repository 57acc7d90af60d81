/** Inputs of the review inbox: what the machine could not decide, and the user's one-click answers. */
import { z } from 'zod';

const id = z.number().int().positive();

/** A concert that needs review, or a handful of unmatched photos (one evening's, usually). */
export const inboxTargetSchema = z.union([z.strictObject({ concertId: id }), z.strictObject({ photoIds: z.array(id).min(1).max(1000) })]);
export type InboxTarget = z.output<typeof inboxTargetSchema>;

/** One of the candidates `inbox.candidates` offered. */
export const inboxChoiceSchema = z.union([
  z.strictObject({ concertId: id }),
  z.strictObject({ venueId: id }),
  /** A suggestion from other users' shows: this artist at this venue, confirmed by the user's own choice. */
  z.strictObject({ artistId: id, venueId: id }),
  z.strictObject({ setlistId: z.string().regex(/^[0-9a-f]{4,16}$/i, 'must be a setlist.fm setlist id') }),
]);
export type InboxChoice = z.output<typeof inboxChoiceSchema>;

export const inboxListInput = z.object({ limit: z.number().int().min(1).max(100).default(30) }).default({ limit: 30 });

export const inboxCandidatesInput = z.object({ target: inboxTargetSchema });
export const inboxResolveInput = z.object({ target: inboxTargetSchema, choice: inboxChoiceSchema });
