import { z } from 'zod';

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
