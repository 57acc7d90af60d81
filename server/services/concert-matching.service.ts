import type { z } from 'zod';
import type { SetlistSet, SupportingAct } from '../../shared/concert.schema.js';
import type { matchConcertPayload } from '../../shared/jobs.js';
import { reverseGeocode } from '../geo/reverse-geocoder.js';
import type { Logger } from '../logger.js';
import type { ArtistRepository } from '../repositories/artist.repository.js';
import type { ConcertInsert, MatchRepository } from '../repositories/match.repository.js';
import type { ScanProgressRepository } from '../repositories/scan-progress.repository.js';
import type { Venue, VenueRepository } from '../repositories/venue.repository.js';
import type { ScanFinisher } from './scan-finisher.js';

export type MatchConcertPayload = z.output<typeof matchConcertPayload>;

/** What an outside source (setlist.fm) knows about the show at a venue on an evening. */
export interface ConcertFacts {
  artist: { name: string; mbid: string | null; sortName: string | null };
  supportingActs: SupportingAct[];
  tour: string | null;
  setlist: SetlistSet[];
  setlistfmId: string | null;
  setlistfmUrl: string | null;
}

/** Where the facts of a show come from: setlist.fm, directly or as it answered before (never another user's concert). */
export interface ConcertFactsSource {
  at(venue: Venue, evening: string): Promise<ConcertFacts | null>;
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
 * join it.
 */
export class ConcertMatchingService {
  constructor(
    private readonly match: MatchRepository,
    private readonly venues: VenueRepository,
    private readonly artists: ArtistRepository,
    private readonly progress: ScanProgressRepository,
    private readonly finisher: ScanFinisher,
    private readonly facts: ConcertFactsSource | null,
  ) {}

  async run(payload: MatchConcertPayload, attempt: { number: number; of: number }, logger: Logger) {
    const { scanId, userId, eventKey, evening, venueId } = payload;
    if (await this.progress.isCancelled(scanId)) return { outcome: 'cancelled' as const };
    let concertId = (await this.match.concertOfEvent(userId, eventKey)) ?? (venueId ? await this.match.userConcertAtVenue(userId, venueId, evening) : null);
    let outcome: 'joined' | 'matched' | 'needs_review' = 'joined';
    if (!concertId) {
      const venue = venueId ? await this.venues.findVisible(userId, venueId) : null;
      const facts = venue ? await this.factsFor(venue, evening, attempt, logger) : null;
      outcome = facts ? 'matched' : 'needs_review';
      concertId = await this.createConcert(payload, venue, facts);
    }
    const linked = await this.match.linkEventPhotos(userId, eventKey, concertId);
    await this.finisher.refreshMatched(userId, scanId);
    const { finishing } = await this.progress.markEventDone(scanId, eventKey);
    logger.info({ eventKey, concertId, outcome, linked }, 'event matched');
    if (finishing) await this.finisher.complete(userId, scanId, logger);
    return { outcome, concertId };
  }

  /** BullMQ gave up outside the handler: the event still becomes a concert, for review. */
  async recordAbandoned(payload: MatchConcertPayload, logger: Logger) {
    if (await this.progress.isCancelled(payload.scanId)) return;
    const venue = payload.venueId ? await this.venues.findVisible(payload.userId, payload.venueId) : null;
    const concertId = (await this.match.concertOfEvent(payload.userId, payload.eventKey)) ?? (await this.createConcert(payload, venue, null));
    await this.match.linkEventPhotos(payload.userId, payload.eventKey, concertId);
    await this.finisher.viewsChanged(payload.userId);
    const { finishing } = await this.progress.markEventDone(payload.scanId, payload.eventKey);
    if (finishing) await this.finisher.complete(payload.userId, payload.scanId, logger);
  }

  private async factsFor(venue: Venue, evening: string, attempt: { number: number; of: number }, logger: Logger): Promise<StoredFacts | null> {
    if (!this.facts) return null;
    let facts: ConcertFacts | null;
    try {
      facts = await this.facts.at(venue, evening);
    } catch (error) {
      // On the last attempt the event is not lost: it waits in the inbox, where the user can look it up again.
      if (attempt.number < attempt.of) throw error;
      logger.warn({ err: error, venueId: venue.id, evening }, 'concert lookup failed for good; the event needs review');
      return null;
    }
    if (!facts) return null;
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
export function sharedArtistOf(artists: ArtistRepository, facts: ConcertFacts): Promise<number> {
  const { name, mbid, sortName } = facts.artist;
  return mbid ? artists.upsertByMbid({ name, sortName, mbid }) : artists.findOrCreateShared(name);
}
