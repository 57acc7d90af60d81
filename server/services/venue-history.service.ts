import { NotFoundError } from '../errors.js';
import type { MediaUrls } from '../media/media-urls.js';
import { presentStripPhoto } from '../media/photo-media.js';
import type { ConcertRepository } from '../repositories/concert.repository.js';
import type { VenueRepository } from '../repositories/venue.repository.js';

/**
 * A venue's page (`venues.history`): the venue as this user may see it (a shared
 * OpenStreetMap venue or their own; another user's answers like a missing one) and
 * every show of theirs there, as the timeline's cards show them.
 */
export class VenueHistoryService {
  constructor(
    private readonly venues: VenueRepository,
    private readonly concerts: ConcertRepository,
    private readonly mediaUrls: MediaUrls,
  ) {}

  /** Cached as the answer's bytes (the router's `view`), not here. */
  async history(userId: number, venueId: number) {
    const venue = await this.venues.findVisible(userId, venueId);
    if (!venue) throw new NotFoundError('Venue');
    const rows = await this.concerts.atVenue(userId, venueId);
    const shows = rows.map((row) => ({ ...row, photos: row.photos.map((photo) => presentStripPhoto(this.mediaUrls, photo)) }));
    return {
      venue: {
        id: venue.id,
        name: venue.name,
        city: venue.city,
        countryCode: venue.countryCode,
        latitude: venue.latitude,
        longitude: venue.longitude,
        source: venue.source,
      },
      summary: summaryOf(shows),
      shows,
    };
  }
}

export type VenueHistory = Awaited<ReturnType<VenueHistoryService['history']>>;

/** Shows newest first: the last visit is the first row, the first visit the last. */
function summaryOf(shows: ReadonlyArray<{ concertDate: string; artist: { id: number } | null }>) {
  return {
    shows: shows.length,
    firstVisit: shows.at(-1)?.concertDate ?? null,
    lastVisit: shows[0]?.concertDate ?? null,
    artists: new Set(shows.flatMap((show) => (show.artist ? [show.artist.id] : []))).size,
  };
}
