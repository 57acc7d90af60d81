import { mapVenues, newPlacesPerYear, travelFrom } from '../../shared/travel.js';
import { ISO_WEEKDAYS, MILESTONES, TOP_ARTISTS, TOP_CITIES, TOP_SONGS, TOP_VENUES } from '../../shared/stats.schema.js';
import { viewTags } from '../cache/view-versions.js';
import { CACHE_TTL, noViewCache, type ViewCache } from '../cache/versioned-cache.js';
import type { AppConfig } from '../config.js';
import type { StatsRepository } from '../repositories/stats.repository.js';

/**
 * A user's history in figures (`stats.summary`). Every concert of the user counts as
 * attended, confirmed or still "needs review" (those wait for a name, not for proof
 * the user was there). The queries run side by side; each is one indexed aggregate.
 */
export class StatsService {
  constructor(
    private readonly stats: StatsRepository,
    private readonly map: AppConfig['map'],
    private readonly cache: ViewCache = noViewCache,
  ) {}

  summary(userId: number) {
    return this.cache.forUser(userId, 'stats.summary', null, CACHE_TTL.stats, () => this.compute(userId), [viewTags.stats]);
  }

  private async compute(userId: number) {
    const [calendar, distinct, totalPhotos, topArtists, topVenues, places, reached, topSongs, venueYears, placeFirstYears, home, festivals] =
      await Promise.all([
        this.stats.calendar(userId),
        this.stats.distinct(userId),
        this.stats.visiblePhotoCount(userId),
        this.stats.topArtists(userId, TOP_ARTISTS),
        this.stats.topVenues(userId, TOP_VENUES),
        this.stats.places(userId),
        this.stats.nthConcerts(userId, MILESTONES),
        this.stats.topSongs(userId, TOP_SONGS),
        this.stats.venueYears(userId),
        this.stats.placeFirstYears(userId),
        this.stats.home(userId),
        this.stats.festivalActs(userId),
      ]);
    const totalConcerts = calendar.reduce((sum, row) => sum + row.count, 0);
    const cities = places.filter((place): place is typeof place & { city: string } => place.city !== null);
    const milestones = reached.map(({ rank, ...concert }) => ({ n: rank, concert }));

    return {
      totalConcerts,
      totalPhotos,
      totalArtists: distinct.artists,
      totalVenues: distinct.venues,
      /** Acts seen at festivals (each also counts as a concert) and the festivals they were at. */
      festivals,
      perYear: concertsPerYear(calendar),
      perWeekday: ISO_WEEKDAYS.map((weekday) => ({
        weekday,
        count: calendar.reduce((sum, row) => sum + (row.weekday === weekday ? row.count : 0), 0),
      })),
      topArtists,
      topVenues,
      cities: { total: cities.length, top: cities.slice(0, TOP_CITIES) },
      countries: countriesOf(places),
      firstConcert: milestones.find((milestone) => milestone.n === 1)?.concert ?? null,
      milestones,
      /** The next milestone still ahead, for "12 more to your 50th". */
      nextMilestone: MILESTONES.find((n) => n > totalConcerts) ?? null,
      topSongs,
      map: {
        venues: mapVenues(venueYears),
        /** Concerts without a venue, so without a position: not on the map, not in the distances. */
        leftOut: totalConcerts - venueYears.reduce((sum, row) => sum + row.count, 0),
        /** The operator's tile server, drawn under the circles; null: the offline outline map. */
        tiles: this.map.tiles && { urlTemplate: this.map.tiles.urlTemplate, attribution: this.map.tiles.attribution },
      },
      /** Null without a home city. */
      travel: home && { home: { name: home.name, countryCode: home.countryCode }, ...travelFrom(home, venueYears) },
      newPlaces: newPlacesPerYear(placeFirstYears),
    };
  }
}

export type StatsSummary = Awaited<ReturnType<StatsService['summary']>>;

/** Every year from the first concert's to the last one's, the years without a concert included (as zero). */
function concertsPerYear(calendar: ReadonlyArray<{ year: number; count: number }>) {
  if (!calendar.length) return [];
  const byYear = new Map<number, number>();
  for (const row of calendar) byYear.set(row.year, (byYear.get(row.year) ?? 0) + row.count);
  const years = [...byYear.keys()];
  const first = Math.min(...years);
  const last = Math.max(...years);
  return Array.from({ length: last - first + 1 }, (_, i) => ({ year: first + i, count: byYear.get(first + i) ?? 0 }));
}

/** Concerts per country, most first; concerts whose country is unknown are left out. */
function countriesOf(places: ReadonlyArray<{ countryCode: string | null; count: number }>) {
  const byCountry = new Map<string, number>();
  for (const place of places) {
    if (place.countryCode) byCountry.set(place.countryCode, (byCountry.get(place.countryCode) ?? 0) + place.count);
  }
  return [...byCountry]
    .map(([countryCode, count]) => ({ countryCode, count }))
    .sort((a, b) => b.count - a.count || a.countryCode.localeCompare(b.countryCode));
}
