import { CITY_SEARCH_LIMIT } from '../../shared/home-city.schema.js';
import { viewTags } from '../cache/view-versions.js';
import { noCacheInvalidation, type UserCacheInvalidator } from '../cache/versioned-cache.js';
import { NotFoundError } from '../errors.js';
import { cityById, searchCities } from '../geo/city-search.js';
import type { UserRepository } from '../repositories/user.repository.js';

/**
 * The user's home city, where the stats measure distances from (issue 19). The city
 * is picked from the offline list by its id and stored with the list's position:
 * coordinates from the client are never taken. Only the stats show it, so a change
 * makes only the stats stale.
 */
export class HomeCityService {
  constructor(
    private readonly users: UserRepository,
    private readonly cache: UserCacheInvalidator = noCacheInvalidation,
  ) {}

  search(prefix: string) {
    return searchCities(prefix, CITY_SEARCH_LIMIT).map(({ geonameId, city, countryCode, latitude, longitude }) => ({
      geonameId,
      name: city,
      countryCode,
      latitude,
      longitude,
    }));
  }

  get(userId: number) {
    return this.users.homeCityOf(userId);
  }

  async set(userId: number, geonameId: number) {
    const city = cityById(geonameId);
    if (!city) throw new NotFoundError('City');
    const home = { name: city.city, countryCode: city.countryCode, latitude: city.latitude, longitude: city.longitude };
    await this.users.setHomeCity(userId, home);
    await this.cache.bump(userId, [viewTags.stats]);
    return home;
  }

  async clear(userId: number) {
    await this.users.setHomeCity(userId, null);
    await this.cache.bump(userId, [viewTags.stats]);
    return null;
  }
}
