import type { ConcertCreateInput, ConcertListInput, ConcertMergeInput, ConcertUpdateInput, VenueRef } from '../../shared/concert.schema.js';
import type { LatLon } from '../../shared/geo.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { ConcertPatch, ConcertRepository, ConcertRow } from '../repositories/concert.repository.js';
import type { PhotoQueryRepository } from '../repositories/photo-query.repository.js';
import type { VenueAliasRepository } from '../repositories/venue-alias.repository.js';
import type { VenueRepository } from '../repositories/venue.repository.js';
import type { MediaUrls } from '../media/media-urls.js';
import { presentStripPhoto } from '../media/photo-media.js';
import { noViewCache, type ViewCache } from '../cache/versioned-cache.js';
import { viewTags } from '../cache/view-versions.js';
import type { AccessService } from './access.js';
import type { ArtistService } from './artist.service.js';

/** Facts that belong to one particular show: wrong once its artist, venue or date changes. */
const SHOW_FACTS_CLEARED = { setlist: null, setlistfmId: null, setlistfmUrl: null, supportingActs: null } satisfies ConcertPatch;

/** The user's own view and edits of their concerts. Every edit by hand confirms the concert. */
export class ConcertService {
  constructor(
    private readonly access: AccessService,
    private readonly concerts: ConcertRepository,
    private readonly artists: ArtistService,
    private readonly venues: VenueRepository,
    private readonly venueAliases: VenueAliasRepository,
    private readonly photos: PhotoQueryRepository,
    private readonly mediaUrls: MediaUrls,
    private readonly cache: ViewCache = noViewCache,
  ) {}

  /** A timeline page. Cached as the answer's bytes (the router's `view`), not here. */
  async list(userId: number, input: ConcertListInput) {
    const page = await this.concerts.list(userId, input);
    return { ...page, items: page.items.map((item) => ({ ...item, photos: item.photos.map((photo) => presentStripPhoto(this.mediaUrls, photo)) })) };
  }

  /** Which years hold concerts (newest first), with their counts: the timeline's year filter. */
  years(userId: number) {
    return this.concerts.years(userId);
  }

  /** A concert's page. Cached as the answer's bytes per user (the router's `view`); failures never are. */
  async get(userId: number, id: number) {
    await this.access.requireOwned('concert', userId, id);
    const concert = await this.concerts.get(userId, id);
    if (!concert) throw new NotFoundError('Concert');
    return concert;
  }

  /** A concert the user adds, usually from unmatched photos: it stands where they were taken. */
  async create(userId: number, input: ConcertCreateInput): Promise<number> {
    const photoIds = [...new Set(input.photoIds ?? [])];
    await this.access.requireOwned('photo', userId, photoIds);
    const place = await this.photos.placeOf(userId, photoIds);
    // Every refusal (an artist or venue the user may not see, a venue with no place) comes before anything is written.
    await this.artists.requireVisible(userId, input.artist);
    const venue = input.venue
      ? await this.resolveVenue(userId, input.venue, place, { city: input.city ?? null, countryCode: input.countryCode ?? null })
      : null;
    const artistId = await this.artists.resolve(userId, input.artist);
    const id = await this.concerts.create(
      userId,
      {
        concertDate: input.date,
        artistId,
        venueId: venue?.id ?? null,
        city: input.city ?? venue?.city ?? null,
        countryCode: input.countryCode ?? venue?.countryCode ?? null,
        tour: input.tour ?? null,
        notes: input.notes ?? null,
        latitude: place?.latitude ?? null,
        longitude: place?.longitude ?? null,
        timeZone: place?.timeZone ?? null,
        status: 'confirmed',
      },
      photoIds,
    );
    if (venue && place) await this.venueAliases.remember(userId, venue.id, place);
    await this.cache.bumpUser(userId);
    return id;
  }

  /**
   * A correction by hand. A new venue for a concert with a known position is
   * remembered as the user's alias for that spot, so detection never repeats the
   * mistake; a new artist, venue or date drops the setlist of the show it was.
   */
  async update(userId: number, input: ConcertUpdateInput): Promise<void> {
    await this.access.requireOwned('concert', userId, input.id);
    const current = await this.concerts.find(userId, input.id);
    if (!current) throw new NotFoundError('Concert');
    const place = placeOf(current);
    const patch: ConcertPatch = { status: 'confirmed' };
    if (input.artist) await this.artists.requireVisible(userId, input.artist);
    const venue = input.venue ? await this.resolveVenue(userId, input.venue, place, current) : null;
    if (input.artist) patch.artistId = await this.artists.resolve(userId, input.artist);
    const venueChanged = venue !== null && venue.id !== current.venueId;
    if (venueChanged) {
      patch.venueId = venue.id;
      patch.venueConfidence = null;
      patch.city = venue.city ?? current.city;
      patch.countryCode = venue.countryCode ?? current.countryCode;
    }
    if (input.date) patch.concertDate = input.date;
    if (input.tour !== undefined) patch.tour = input.tour;
    if (input.notes !== undefined) patch.notes = input.notes;

    const artistChanged = patch.artistId !== undefined && patch.artistId !== current.artistId;
    const dateChanged = patch.concertDate !== undefined && patch.concertDate !== current.concertDate;
    if (artistChanged || venueChanged || dateChanged) Object.assign(patch, SHOW_FACTS_CLEARED);
    // The tour is the artist's; one the user types in stays.
    if (artistChanged && input.tour === undefined) patch.tour = null;

    await this.concerts.update(userId, input.id, patch);
    if (venueChanged && place) await this.venueAliases.remember(userId, venue.id, place);
    // Notes and the tour show on the concert's page only; anything else (and a first confirmation) on the timeline and in the stats.
    const pageOnly = input.artist === undefined && input.venue === undefined && input.date === undefined && current.status === 'confirmed';
    await this.cache.bump(userId, pageOnly ? [viewTags.concert(input.id)] : [viewTags.concert(input.id), viewTags.timeline, viewTags.stats]);
  }

  async merge(userId: number, { targetId, sourceIds }: ConcertMergeInput): Promise<void> {
    const sources = [...new Set(sourceIds)];
    if (sources.includes(targetId)) throw new ValidationError('A concert cannot be merged into itself');
    await this.access.requireOwned('concert', userId, [targetId, ...sources]);
    await this.concerts.merge(userId, targetId, sources);
    await this.cache.bumpUser(userId);
  }

  async delete(userId: number, id: number): Promise<void> {
    await this.access.requireOwned('concert', userId, id);
    await this.concerts.delete(userId, id);
    await this.cache.bumpUser(userId);
  }

  /**
   * A venue the user may see, or a new one named by the user, placed where the
   * concert is (venues are places). A new one is the user's own: nobody else's
   * venue detection, candidates or matching ever sees it.
   */
  private async resolveVenue(userId: number, ref: VenueRef, place: LatLon | null, fallback: Pick<ConcertRow, 'city' | 'countryCode'>) {
    if ('venueId' in ref) {
      const venue = await this.venues.findVisible(userId, ref.venueId);
      if (!venue) throw new NotFoundError('Venue');
      return venue;
    }
    if (!place) {
      throw new ValidationError('A new venue needs a place, and this concert has no photo with a location: pick a known venue instead');
    }
    const venue = {
      name: ref.venueName,
      city: ref.city ?? fallback.city,
      countryCode: ref.countryCode ?? fallback.countryCode,
      latitude: place.latitude,
      longitude: place.longitude,
      setlistfmId: null,
      source: 'user' as const,
    };
    return { ...venue, id: await this.venues.insertOwn(userId, venue) };
  }
}

function placeOf(concert: ConcertRow): LatLon | null {
  return concert.latitude !== null && concert.longitude !== null ? { latitude: concert.latitude, longitude: concert.longitude } : null;
}
