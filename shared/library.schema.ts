import { z } from 'zod';

/** One of the user's photo libraries (sources.disconnect, sources.remove). */
export const libraryInput = z.object({ sourceId: z.number().int().positive() });
export type LibraryInput = z.infer<typeof libraryInput>;
