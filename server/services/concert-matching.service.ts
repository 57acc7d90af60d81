import type { SetlistSet, SupportingAct } from '../../shared/concert.schema.js';
import type { JobPayload } from '../../shared/jobs.js';
import { reverseGeocode } from '../geo/reverse-geocoder.js';
import type { FestivalLineup } from '../integrations/setlistfm/festival-lineup.js';
import type { Logger } from '../logger.js';
import { done, retryLater, type Outcome } from '../outcome.js';
import { isQuotaExhausted } from '../rate-limit/daily-budget.js';
import type { ArtistRepository } from '../repositories/artist.repository.js';
import type { ConcertInsert, MatchRepository } from '../repositories/match.repository.js';
import type { Venue, VenueRepository } from '../repositories/venue.repository.js';

export type MatchConcertPayload = JobPayload<'match-concert'>;

export type MatchResult = { outcome: 'joined' | 'matched' | 'needs_review'; concertId: number } | { outcome: 'festival'; festivalId: number };

/** What an outside source (setlist.fm) knows about the show at a venue on an evening. */
export interface ConcertFacts {
  artist: { name: string; mbid: string | null; sortName: string | null };
  supportingActs: SupportingAct[];
  tour: string | null;
  setlist: SetlistSet[];
  setlistfmId: string | null;
  setlistfmUrl: string | null;
}

/** A festival day as setlist.fm shows it (server/integrations/setlistfm/festival-lineup.ts): the site and its acts. */
export type FestivalFacts = { kind: 'festival' } & FestivalLineup;

/** Where the facts of a show come from: setlist.fm, directly or as it answered before (never another user's concert). */
export interface ConcertFactsSource {
  at(venue: Venue, evening: string): Promise<ConcertFacts | FestivalFacts | null>;
}

/** What matching asks of festivals (server/services/festival.service.ts). */
export interface FestivalMatching {
  /** The user's festival at this venue with this evening among its days. */
  festivalAt(userId: number, venueId: number, evening: string): Promise<number | null>;
  /** setlist.fm's lineup of the day joins (or starts) the user's festival at the site; its id. */
  recordDay(payload: MatchConcertPayload, venue: Venue | null, facts: FestivalFacts): Promise<number>;
  /** The event's photos wait in the festival for their acts; how many. */
  takeEventPhotos(userId: number, eventKey: string, festivalId: number, logger: Logger): Promise<number>;
}

/** Facts as a concert row stores them. */
type StoredFacts = Pick<ConcertInsert, 'artistId' | 'tour' | 'supportingActs' | 'setlist' | 'setlistfmId' | 'setlistfmUrl'>;

/**
 * The `match` step of one event: which concert the photos are from. The user's own
 * concert at that venue that evening first; then setlist.fm's show there (what it
 * told us before, shared by all users, else a request). Another user's concert never
 * decides anything: at most the review inbox offers it as an unverified suggestion.
 * Whatever is found, the event becomes one concert (unique per user and event, so
 * two workers create one), "needs review" when the artist is unknown, and its photos
 * join it. Safe to run again, or twice at once: one concert per user and event.
 */
export class ConcertMatchingService {
  constructor(
    private readonly match: MatchRepository,
    private readonly venues: VenueRepository,
    private readonly artists: ArtistRepository,
    private readonly facts: ConcertFactsSource | null,
    private readonly festivals: FestivalMatching,
  ) {}

  /**
   * `lookUp: false` asks no outside source: what the job layer does once the lookup has
   * failed for good, so the event is not lost but waits in the inbox, where the user can
   * look it up again.
   */
  async matchEvent(payload: MatchConcertPayload, logger: Logger, { lookUp = true } = {}): Promise<Outcome<MatchResult>> {
    const { userId, eventKey, evening, venueId } = payload;
    const ofEvent = await this.match.concertOfEvent(userId, eventKey);
    // A festival's day at this venue takes the event before any act of it could.
    const festivalId = !ofEvent && venueId ? await this.festivals.festivalAt(userId, venueId, evening) : null;
    if (festivalId) return this.joinFestival(payload, festivalId, logger);
    let concertId = ofEvent ?? (venueId ? await this.match.userConcertAtVenue(userId, venueId, evening) : null);
    let outcome: 'joined' | 'matched' | 'needs_review' = 'joined';
    if (!concertId) {
      const venue = venueId ? await this.venues.findVisible(userId, venueId) : null;
      let facts: StoredFacts | FestivalFacts | null = null;
      try {
        facts = venue && lookUp ? await this.factsFor(venue, evening) : null;
      } catch (error) {
        // setlist.fm's daily quota is spent: asking again today is wasted, so the event waits for tomorrow's.
        if (isQuotaExhausted(error)) return retryLater(`waiting for setlist.fm: ${error.message}`, error.resumeAt);
        throw error;
      }
      if (facts && 'kind' in facts) return this.joinFestival(payload, await this.festivals.recordDay(payload, venue, facts), logger);
      outcome = facts ? 'matched' : 'needs_review';
      concertId = await this.createConcert(payload, venue, facts);
    }
    const linked = await this.match.linkEventPhotos(userId, eventKey, concertId);
    logger.info({ eventKey, concertId, outcome, linked }, 'event matched');
    return done({ outcome, concertId });
  }

  private async joinFestival(payload: MatchConcertPayload, festivalId: number, logger: Logger): Promise<Outcome<MatchResult>> {
    await this.festivals.takeEventPhotos(payload.userId, payload.eventKey, festivalId, logger);
    return done({ outcome: 'festival', festivalId });
  }

  private async factsFor(venue: Venue, evening: string): Promise<StoredFacts | FestivalFacts | null> {
    const facts = await this.facts?.at(venue, evening);
    if (!facts || 'kind' in facts) return facts ?? null;
    const artistId = await sharedArtistOf(this.artists, facts);
    return {
      artistId,
      tour: facts.tour,
      supportingActs: facts.supportingActs,
      setlist: facts.setlist,
      setlistfmId: facts.setlistfmId,
      setlistfmUrl: facts.setlistfmUrl,
    };
  }

  private async createConcert(payload: MatchConcertPayload, venue: Venue | null, facts: StoredFacts | null): Promise<number> {
    const place = venue?.city ? { city: venue.city, countryCode: venue.countryCode } : reverseGeocode(payload.latitude, payload.longitude);
    return this.match.upsertEventConcert({
      userId: payload.userId,
      eventKey: payload.eventKey,
      concertDate: payload.evening,
      venueId: venue?.id ?? null,
      venueConfidence: venue ? payload.venueConfidence : null,
      city: place?.city ?? null,
      countryCode: place?.countryCode ?? null,
      latitude: payload.latitude,
      longitude: payload.longitude,
      timeZone: payload.timeZone,
      status: facts?.artistId ? 'confirmed' : 'needs_review',
      ...facts,
    });
  }
}

/** The shared artist setlist.fm named: by MusicBrainz id (its name kept current), else by its exact name. */
export function sharedArtistOf(artists: ArtistRepository, facts: Pick<ConcertFacts, 'artist'>): Promise<number> {
  const { name, mbid, sortName } = facts.artist;
  return mbid ? artists.upsertByMbid({ name, sortName, mbid }) : artists.findOrCreateShared(name);
}
