/** The playlist download's request, checked where it arrives (server/http/playlist.routes.ts). */
import { z } from 'zod';
import { DEFAULT_STREAMING_SERVICE, STREAMING_SERVICES } from './streaming.js';

/** The id comes from the path, so as text: digits only, no sign, no exponent, no leading zero. */
export const playlistParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'Use a concert id')
    .transform(Number)
    .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)),
});

export const playlistQuerySchema = z.object({
  service: z.enum(STREAMING_SERVICES).default(DEFAULT_STREAMING_SERVICE),
});
