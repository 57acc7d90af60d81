/** The user's home city (issue 19): chosen from the server's offline city list, never sent as coordinates. */
import { z } from 'zod';

/** How many cities a search answers with. */
export const CITY_SEARCH_LIMIT = 10;

export const citySearchInput = z.object({ prefix: z.string().trim().min(1).max(100) });

/** `geoname`: the GeoNames id of a city the search offered; its position is the list's. */
export const setHomeCityInput = z.object({ geoname: z.number().int().positive().max(2_147_483_647) });
