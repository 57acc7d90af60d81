/**
 * The show at a venue on an evening, from setlist.fm. setlist.fm has no search by
 * coordinates, so our venue is first mapped to theirs by name within its city (the
 * GeoNames id, which setlist.fm uses for cities), then by name within the country;
 * the mapping is kept on the venue for every later evening there.
 */
import { reverseGeocode } from '../geo/reverse-geocoder.js';
import { concertFactsFrom, pickVenue, type ConcertFacts as SetlistFmFacts } from '../integrations/setlistfm/concert-facts.js';
import type { SetlistFmClient } from '../integrations/setlistfm/setlistfm-client.js';
import type { Venue, VenueRepository } from '../repositories/venue.repository.js';
import type { ExternalArtistSearch } from '../services/artist.service.js';
import type { ConcertFacts, ConcertLookup } from '../services/concert-matching.service.js';

export function setlistFmConcertLookup(client: SetlistFmClient, venues: VenueRepository): ConcertLookup {
  return async (venue, evening) => {
    const setlistfmVenueId = venue.setlistfmId ?? (await mapVenue(client, venues, venue));
    if (!setlistfmVenueId) return null;
    const { setlists } = await client.allSetlists({ venueId: setlistfmVenueId, date: evening });
    const facts = concertFactsFrom(setlists);
    return facts ? asConcertFacts(facts) : null;
  };
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
    artist: { name: facts.headliner.name, mbid: facts.headliner.mbid, sortName: facts.headliner.sortName },
    supportingActs: facts.supportingActs,
    tour: facts.tour,
    setlist: facts.setlist,
    setlistfmId: facts.setlistfmId,
    setlistfmUrl: facts.url,
  };
}
