/** Venue pages (issue 19): every show the user saw at one venue. */
import { z } from 'zod';

export const venueHistoryInput = z.object({
  venueId: z.number({ error: 'A venue id is a number' }).int('A venue id is a whole number').positive('A venue id is a positive number'),
});
export type VenueHistoryInput = z.output<typeof venueHistoryInput>;
