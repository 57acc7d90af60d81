import type { InboxChoice, InboxTarget } from '../../shared/inbox.schema.js';
import type { SupportingAct } from '../../shared/concert.schema.js';
import { centroid, type LatLon } from '../../shared/geo.js';
import { clippedName } from '../../shared/text-normalise.js';
import type { AppConfig } from '../config.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { reverseGeocode } from '../geo/reverse-geocoder.js';
import { concertFactsFrom, pickVenue } from '../integrations/setlistfm/concert-facts.js';
import type { SetlistFmClient } from '../integrations/setlistfm/setlistfm-client.js';
import { fromSetlistFmDate, type SetlistFmSetlist } from '../integrations/setlistfm/setlistfm.schemas.js';
import type { Logger } from '../logger.js';
import { eveningOf } from '../matching/evening.js';
import { groupIntoEvents, mostCommon } from '../matching/event-grouping.js';
import type { ArtistRepository } from '../repositories/artist.repository.js';
import type { ConcertPatch, ConcertRepository, ConcertRow } from '../repositories/concert.repository.js';
import type { InboxRepository } from '../repositories/inbox.repository.js';
import type { VenueAliasRepository } from '../repositories/venue-alias.repository.js';
import type { Venue, VenueRepository } from '../repositories/venue.repository.js';
import type { AccessService } from './access.js';
import { asConcertFacts, type SetlistFmConcertFacts } from '../matching/setlistfm-concert-lookup.js';
import { sharedArtistOf } from './concert-matching.service.js';
import type { ConcertService } from './concert.service.js';
import type { PhotoCurationService } from './photo-curation.service.js';
import type { VenueDetectionService } from './venue-detection.service.js';
import { CACHE_TTL, noViewCache, type ViewCache } from '../cache/versioned-cache.js';

/** What a target stands for: an evening, maybe a place, maybe already a concert. */
interface TargetContext {
  concert: ConcertRow | null;
  photoIds: number[];
  evening: string | null;
  place: LatLon | null;
}

type Outside = 'ok' | 'off' | 'unavailable';

/** How far from the photos other users' shows are offered as suggestions: the venue candidates' reach. */
const SUGGESTION_RADIUS_METERS = 1_000;

/**
 * The review inbox: concerts the machine could not confirm and photos it could not
 * place, each with one-click candidates (venues nearby, setlist.fm's setlists of
 * that evening in that city, the user's concerts of that evening, and other users'
 * shows there as unverified suggestions). Choosing one settles the whole group; a
 * venue chosen for a spot is remembered for it.
 */
export class InboxService {
  constructor(
    private readonly access: AccessService,
    private readonly inbox: InboxRepository,
    private readonly concerts: ConcertRepository,
    private readonly concertService: ConcertService,
    private readonly photoCuration: PhotoCurationService,
    private readonly venueDetection: VenueDetectionService,
    private readonly venues: VenueRepository,
    private readonly venueAliases: VenueAliasRepository,
    private readonly artists: ArtistRepository,
    private readonly setlistfm: SetlistFmClient | null,
    /** setlist.fm's shows, as it told us before or asked now; null where matching is not wired (benchmarks). */
    private readonly concertFacts: Pick<SetlistFmConcertFacts, 'at' | 'remember'> | null,
    private readonly config: Pick<AppConfig, 'matching'>,
    private readonly cache: ViewCache = noViewCache,
  ) {}

  /** Events to review and the unmatched photos' counts by evening; cached like the other photo counts. */
  list(userId: number, limit: number) {
    return this.cache.forUser(userId, 'inbox.list', limit, CACHE_TTL.photoCounts, () => this.listNow(userId, limit));
  }

  private async listNow(userId: number, limit: number) {
    const [events, unmatchedTotal, unmatched] = await Promise.all([
      this.inbox.needsReview(userId, limit),
      this.inbox.countUnmatched(userId),
      this.inbox.unmatchedPhotos(userId),
    ]);
    // Unmatched photos are offered the way events are formed: by evening and place.
    const grouping = groupIntoEvents(unmatched, this.config.matching.eventRadiusMeters);
    const groups: Array<{ evening: string | null; photoIds: number[]; place: ReturnType<typeof placeName> | null }> = [
      ...grouping.events.map((event) => ({ evening: event.evening, photoIds: event.photoIds, place: placeName(event.center) })),
      ...[...grouping.withoutPlace].map(([evening, photoIds]) => ({ evening, photoIds, place: null })),
    ].sort((a, b) => b.evening.localeCompare(a.evening));
    if (grouping.undated.length) groups.push({ evening: null, photoIds: grouping.undated, place: null });
    return {
      events,
      unmatched: { total: unmatchedTotal, groups: groups.slice(0, limit).map((group) => ({ ...group, photoCount: group.photoIds.length })) },
    };
  }

  async candidates(userId: number, target: InboxTarget, logger: Logger) {
    const context = await this.contextOf(userId, target);
    const { evening, place } = context;
    const [venues, concerts, setlists, suggestions] = await Promise.all([
      place ? this.venueDetection.candidatesNear(userId, place) : Promise.resolve([]),
      evening ? this.inbox.concertsAround(userId, shiftDate(evening, -1), shiftDate(evening, 1), context.concert?.id ?? null) : Promise.resolve([]),
      this.setlistsOfEvening(evening, place, logger),
      evening && place ? this.inbox.othersShowsNear(userId, evening, place, SUGGESTION_RADIUS_METERS) : Promise.resolve([]),
    ]);
    return {
      evening,
      place: place ? { ...place, ...placeName(place) } : null,
      venues: venues.map((venue) => ({
        id: venue.id,
        name: venue.name,
        city: venue.city,
        countryCode: venue.countryCode,
        distanceMeters: Math.round(venue.distanceMeters),
      })),
      concerts,
      setlists: setlists.items,
      setlistfm: setlists.status,
      /**
       * Other users' shows at shared venues near here that evening, with shared (setlist.fm) artists only:
       * never their own free text. Unverified; only the user's own choice makes one theirs.
       */
      suggestions: suggestions.map((show) => ({ ...show, verified: false as const, source: 'other_users' as const })),
    };
  }

  async resolve(userId: number, target: InboxTarget, choice: InboxChoice, logger: Logger): Promise<{ concertId: number }> {
    if ('concertId' in choice) {
      // Ownership before anything else, so another user's ids only ever answer "not found".
      await this.access.requireOwned('concert', userId, 'concertId' in target ? [target.concertId, choice.concertId] : choice.concertId);
      if ('concertId' in target) {
        await this.concertService.merge(userId, { targetId: choice.concertId, sourceIds: [target.concertId] });
      } else {
        await this.photoCuration.move(userId, target.photoIds, choice.concertId);
      }
      return { concertId: choice.concertId };
    }
    const context = await this.contextOf(userId, target);
    // The choice is checked before anything is written; another user's own artist or venue is "not found".
    const venue = 'venueId' in choice ? await this.venues.findVisible(userId, choice.venueId) : null;
    if ('venueId' in choice && !venue) throw new NotFoundError('Venue');
    const artist = 'artistId' in choice ? await this.artists.findVisible(userId, choice.artistId) : null;
    if ('artistId' in choice && !artist) throw new NotFoundError('Artist');
    const setlist = 'setlistId' in choice ? await this.chosenSetlist(choice.setlistId) : null;
    const concert = context.concert ?? (await this.concertFromPhotos(userId, context));
    if (venue) await this.applyVenue(userId, concert, venue, artist?.id ?? null, logger);
    if (setlist) await this.applySetlist(userId, concert, setlist);
    await this.cache.bumpUser(userId);
    return { concertId: concert.id };
  }

  private async contextOf(userId: number, target: InboxTarget): Promise<TargetContext> {
    if ('concertId' in target) {
      await this.access.requireOwned('concert', userId, target.concertId);
      const concert = await this.concerts.find(userId, target.concertId);
      if (!concert) throw new NotFoundError('Concert');
      const venue = concert.venueId ? await this.venues.find(concert.venueId) : null;
      const place = concert.latitude !== null && concert.longitude !== null ? { latitude: concert.latitude, longitude: concert.longitude } : venue;
      return { concert, photoIds: [], evening: concert.concertDate, place: place ? { latitude: place.latitude, longitude: place.longitude } : null };
    }
    const photoIds = [...new Set(target.photoIds)];
    await this.access.requireOwned('photo', userId, photoIds);
    const rows = await this.inbox.photosByIds(userId, photoIds);
    const evenings = rows.flatMap((row) => (row.takenAt ? [eveningOf(row.takenAt, row.timeZone)] : []));
    const located = rows.flatMap((row) =>
      row.latitude !== null && row.longitude !== null ? [{ latitude: row.latitude, longitude: row.longitude }] : [],
    );
    return { concert: null, photoIds, evening: mostCommon(evenings), place: located.length ? centroid(located) : null };
  }

  private async setlistsOfEvening(
    evening: string | null,
    place: LatLon | null,
    logger: Logger,
  ): Promise<{ items: SetlistCandidate[]; status: Outside }> {
    if (!this.setlistfm) return { items: [], status: 'off' };
    const city = place && reverseGeocode(place.latitude, place.longitude);
    if (!evening || !city) return { items: [], status: 'ok' };
    try {
      const { setlists } = await this.setlistfm.allSetlists({ cityId: city.geonameId, date: evening }, 2);
      return { items: setlists.map(setlistCandidate), status: 'ok' };
    } catch (error) {
      logger.warn({ err: error }, 'setlist.fm candidates unavailable');
      return { items: [], status: 'unavailable' };
    }
  }

  private async chosenSetlist(setlistId: string): Promise<SetlistFmSetlist> {
    if (!this.setlistfm) throw new ValidationError('setlist.fm is not configured on this server, so its setlists cannot be chosen');
    const setlist = await this.setlistfm.setlist(setlistId);
    if (!setlist) throw new NotFoundError('Setlist');
    return setlist;
  }

  /** Unmatched photos become a concert of their evening, to be named by the choice that follows. */
  private async concertFromPhotos(userId: number, context: TargetContext): Promise<ConcertRow> {
    if (!context.evening) throw new ValidationError('These photos have no capture date: move them into a concert instead');
    const place = context.place && placeName(context.place);
    const id = await this.concerts.create(
      userId,
      {
        concertDate: context.evening,
        latitude: context.place?.latitude ?? null,
        longitude: context.place?.longitude ?? null,
        city: place?.city ?? null,
        countryCode: place?.countryCode ?? null,
        status: 'needs_review',
      },
      context.photoIds,
    );
    return (await this.concerts.find(userId, id))!;
  }

  /**
   * The user named the venue (alone, or with an artist from a suggestion):
   * remembered for the spot, and the show looked up there. setlist.fm's show wins;
   * without one, the artist the user chose confirms the concert.
   */
  private async applyVenue(userId: number, concert: ConcertRow, venue: Venue, chosenArtistId: number | null, logger: Logger) {
    const patch: ConcertPatch = {
      venueId: venue.id,
      venueConfidence: null,
      city: venue.city ?? concert.city,
      countryCode: venue.countryCode ?? concert.countryCode,
    };
    await this.rememberVenue(userId, concert, venue.id);
    let facts = null;
    try {
      const found = this.concertFacts ? await this.concertFacts.at(venue, concert.concertDate) : null;
      // A festival there that evening has no one artist to name: the artist the user chose (if any) decides.
      facts = found && !('kind' in found) ? found : null;
    } catch (error) {
      logger.warn({ err: error, venueId: venue.id }, 'setlist.fm lookup failed; the concert keeps waiting for its artist');
    }
    if (facts) {
      const { artist: _artist, ...rest } = facts;
      Object.assign(patch, rest, { artistId: await sharedArtistOf(this.artists, facts), status: 'confirmed' });
    } else if (chosenArtistId !== null) {
      Object.assign(patch, { artistId: chosenArtistId, status: 'confirmed' });
      // What the concert held belonged to another show.
      if (chosenArtistId !== concert.artistId)
        Object.assign(patch, { tour: null, setlist: null, setlistfmId: null, setlistfmUrl: null, supportingActs: null });
    }
    await this.concerts.update(userId, concert.id, patch);
  }

  /** The user picked the setlist of the show they saw: its artist headlines, the others of that night supported. */
  private async applySetlist(userId: number, concert: ConcertRow, chosen: SetlistFmSetlist) {
    const date = fromSetlistFmDate(chosen.eventDate);
    const sameNight = (await this.setlistfm!.allSetlists({ venueId: chosen.venue.id, date }, 2)).setlists;
    const facts = concertFactsFrom([chosen])!;
    const others = concertFactsFrom(sameNight.filter((s) => s.artist.mbid !== chosen.artist.mbid));
    const supportingActs: SupportingAct[] = others ? [{ name: others.headliner.name, mbid: others.headliner.mbid }, ...others.supportingActs] : [];
    // The evening as setlist.fm ranks it (not as this user picked it) becomes the shared fact for everyone after.
    const evening = concertFactsFrom(sameNight.some((s) => s.id === chosen.id) ? sameNight : [chosen, ...sameNight]);
    if (evening) await this.concertFacts?.remember(chosen.venue.id, date, evening);
    const venueId = await this.venueOfSetlist(userId, concert, chosen);
    const artistId = await sharedArtistOf(this.artists, asConcertFacts(facts));
    const city = chosen.venue.city;
    await this.concerts.update(userId, concert.id, {
      artistId,
      venueId,
      venueConfidence: null,
      concertDate: date,
      city: city?.name ?? concert.city,
      countryCode: city?.country.code ?? concert.countryCode,
      tour: facts.tour,
      supportingActs,
      setlist: facts.setlist,
      setlistfmId: facts.setlistfmId,
      setlistfmUrl: facts.url,
      status: 'confirmed',
    });
    if (venueId) await this.rememberVenue(userId, concert, venueId);
  }

  /**
   * Our venue for setlist.fm's: one the user may see that is already mapped to it;
   * else a venue near the photos that setlist.fm's is (by name, in its city: the rule
   * automatic mapping follows), now mapped for everyone; else a new venue of the
   * user's own where the photos were (or at its city): its position is only theirs.
   */
  private async venueOfSetlist(userId: number, concert: ConcertRow, setlist: SetlistFmSetlist): Promise<number | null> {
    const known = await this.venues.findVisibleBySetlistFmId(userId, setlist.venue.id);
    if (known) return known.id;
    const place = placeOf(concert);
    if (place) {
      const nearby = await this.venues.near(userId, place, this.config.matching.venueSearchRadiusMeters);
      const same = nearby
        .filter((venue) => !venue.setlistfmId)
        .sort((a, b) => Number(a.userId !== null) - Number(b.userId !== null))
        .find((venue) => pickVenue([setlist.venue], venue));
      if (same) {
        await this.venues.setSetlistFmId(same.id, setlist.venue.id);
        return same.id;
      }
    }
    const coords = setlist.venue.city?.coords;
    const latitude = place?.latitude ?? coords?.lat ?? null;
    const longitude = place?.longitude ?? coords?.long ?? null;
    if (latitude === null || longitude === null) return null;
    return this.venues.insertOwn(userId, {
      name: clippedName(setlist.venue.name),
      city: setlist.venue.city ? clippedName(setlist.venue.city.name) : null,
      countryCode: setlist.venue.city?.country.code ?? null,
      latitude,
      longitude,
      setlistfmId: setlist.venue.id,
      source: 'setlistfm',
    });
  }

  private async rememberVenue(userId: number, concert: ConcertRow, venueId: number) {
    if (concert.latitude === null || concert.longitude === null || concert.venueId === venueId) return;
    await this.venueAliases.remember(userId, venueId, { latitude: concert.latitude, longitude: concert.longitude });
  }
}

type SetlistCandidate = ReturnType<typeof setlistCandidate>;

function setlistCandidate(setlist: SetlistFmSetlist) {
  return {
    setlistId: setlist.id,
    artist: setlist.artist.name,
    venue: setlist.venue.name,
    city: setlist.venue.city?.name ?? null,
    tour: setlist.tour?.name ?? null,
    songCount: concertFactsFrom([setlist])?.setlist.reduce((n, set) => n + set.songs.length, 0) ?? 0,
    /** setlist.fm's page for it: their terms ask for a link wherever their data is shown. */
    url: setlist.url ?? null,
  };
}

function placeOf(concert: ConcertRow): LatLon | null {
  return concert.latitude !== null && concert.longitude !== null ? { latitude: concert.latitude, longitude: concert.longitude } : null;
}

function placeName(point: LatLon) {
  const place = reverseGeocode(point.latitude, point.longitude);
  return { city: place?.city ?? null, countryCode: place?.countryCode ?? null };
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
