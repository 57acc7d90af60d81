/**
 * The show at a venue on an evening, from setlist.fm: what it already told us (the
 * shared `setlistfm_shows` facts, no request at all), else its API. setlist.fm has
 * no search by coordinates, so our venue is first mapped to theirs by name within
 * its city (the GeoNames id, which setlist.fm uses for cities), then by name within
 * the country; the mapping is kept on the venue for every later evening there.
 */
import { reverseGeocode } from '../geo/reverse-geocoder.js';
import { concertFactsFrom, MBID, pickVenue, type ConcertFacts as SetlistFmFacts } from '../integrations/setlistfm/concert-facts.js';
import { festivalLineupFrom, stageOf } from '../integrations/setlistfm/festival-lineup.js';
import type { SetlistFmClient } from '../integrations/setlistfm/setlistfm-client.js';
import type { SetlistFmShowRepository } from '../repositories/setlistfm-show.repository.js';
import type { Venue, VenueRepository } from '../repositories/venue.repository.js';
import type { ExternalArtistSearch } from '../services/artist.service.js';
import type { ConcertFacts, ConcertFactsSource, FestivalFacts } from '../services/concert-matching.service.js';

export class SetlistFmConcertFacts implements ConcertFactsSource {
  constructor(
    private readonly shows: SetlistFmShowRepository,
    private readonly venues: VenueRepository,
    /** Null when setlist.fm is not configured: only what it told us before is known. */
    private readonly client: SetlistFmClient | null,
  ) {}

  /**
   * The show there that evening, or the festival: many acts at the venue, or acts on
   * several stages of the site the venue is a stage of (one more request, for the
   * site's other stages that date in the city).
   */
  async at(venue: Venue, evening: string): Promise<ConcertFacts | FestivalFacts | null> {
    const setlistfmVenueId = venue.setlistfmId ?? (this.client ? await mapVenue(this.client, this.venues, venue) : null);
    if (!setlistfmVenueId) return null;
    const known = await this.shows.at(setlistfmVenueId, evening);
    if (known || !this.client) return known;
    const { setlists } = await this.client.allSetlists({ venueId: setlistfmVenueId, date: evening });
    const stageVenue = setlists[0]?.venue;
    const cityId = stageVenue && stageOf(stageVenue.name) ? stageVenue.city?.id : undefined;
    const atSite = cityId ? (await this.client.allSetlists({ cityId, date: evening })).setlists : null;
    const festival = festivalLineupFrom(setlists, atSite, evening);
    if (festival) return { kind: 'festival', ...festival };
    const facts = concertFactsFrom(setlists);
    if (!facts) return null;
    return this.remember(setlistfmVenueId, evening, facts);
  }

  /** Keeps what setlist.fm said about an evening at one of its venues, for every user after this one. */
  async remember(setlistfmVenueId: string, evening: string, facts: SetlistFmFacts): Promise<ConcertFacts> {
    const ours = asConcertFacts(facts);
    await this.shows.record(setlistfmVenueId, evening, { ...ours, setlistfmId: facts.setlistfmId });
    return ours;
  }
}

async function mapVenue(client: SetlistFmClient, venues: VenueRepository, venue: Venue): Promise<string | null> {
  const want = { name: venue.name, latitude: venue.latitude, longitude: venue.longitude };
  const place = reverseGeocode(venue.latitude, venue.longitude);
  const searches = [
    place ? { name: venue.name, cityId: place.geonameId } : null,
    venue.countryCode || place ? { name: venue.name, countryCode: venue.countryCode ?? place?.countryCode } : null,
  ];
  for (const search of searches) {
    if (!search) continue;
    const picked = pickVenue((await client.searchVenues(search)).venue, want);
    if (picked) {
      await venues.setSetlistFmId(venue.id, picked.id);
      return picked.id;
    }
  }
  return null;
}

/** Artist search in setlist.fm's catalogue (its searches are cached an hour by the client). */
export function setlistFmArtistSearch(client: SetlistFmClient): ExternalArtistSearch {
  return {
    async searchArtists(name) {
      const { artist } = await client.searchArtists({ artistName: name });
      return artist.map(({ name: artistName, mbid, sortName }) => ({ name: artistName, mbid, ...(sortName ? { sortName } : {}) }));
    },
  };
}

export function asConcertFacts(facts: SetlistFmFacts): ConcertFacts {
  return {
    artist: { name: facts.headliner.name, mbid: MBID.test(facts.headliner.mbid) ? facts.headliner.mbid : null, sortName: facts.headliner.sortName },
    supportingActs: facts.supportingActs,
    tour: facts.tour,
    setlist: facts.setlist,
    setlistfmId: facts.setlistfmId,
    setlistfmUrl: facts.url,
  };
}
