import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { QuotaExhaustedError } from '../rate-limit/daily-budget.js';
import type { ArtistRepository } from '../repositories/artist.repository.js';
import type { MatchRepository } from '../repositories/match.repository.js';
import type { Venue, VenueRepository } from '../repositories/venue.repository.js';
import { ConcertMatchingService, type ConcertFactsSource, type FestivalMatching } from './concert-matching.service.js';

const logger = pino({ level: 'silent' });
const VENUE = { id: 4, name: 'Paradiso', city: 'Amsterdam', countryCode: 'NL', latitude: 52.3622, longitude: 4.884 } as Venue;
const EVENT = {
  scanId: 1,
  userId: 7,
  eventKey: '2019-07-05@52.362,4.884',
  evening: '2019-07-05',
  latitude: 52.3622,
  longitude: 4.884,
  timeZone: 'Europe/Amsterdam',
  venueId: VENUE.id,
  venueConfidence: 0.9,
};

/** Matching against in-memory stand-ins: no concert of the user yet, the venue known, setlist.fm as given. */
function matching(facts: ConcertFactsSource) {
  const created: unknown[] = [];
  const match = {
    concertOfEvent: async () => null,
    userConcertAtVenue: async () => null,
    upsertEventConcert: async (concert: unknown) => {
      created.push(concert);
      return 99;
    },
    linkEventPhotos: async () => 3,
  } as unknown as MatchRepository;
  const venues = { findVisible: async () => VENUE } as unknown as VenueRepository;
  const festivals = { festivalAt: async () => null } as unknown as FestivalMatching;
  return { service: new ConcertMatchingService(match, venues, {} as ArtistRepository, facts, festivals), created };
}

describe('matching an event', () => {
  it("waits until setlist.fm's quota starts again, creating nothing, when today's is spent", async () => {
    const resumeAt = new Date('2024-07-06T00:00:00Z');
    const { service, created } = matching({
      at: async () => {
        throw new QuotaExhaustedError('setlist.fm', resumeAt, 1440, 1440, 'budget');
      },
    });
    const outcome = await service.matchEvent(EVENT, logger);
    expect(outcome).toMatchObject({ status: 'retry', at: resumeAt });
    expect(outcome.status === 'retry' && outcome.reason).toMatch(/^waiting for setlist\.fm/);
    expect(created).toEqual([]);
  });

  it('lets any other lookup failure be retried by the job layer', async () => {
    const { service } = matching({
      at: async () => {
        throw new Error('setlist.fm: HTTP 503 after 4 tries');
      },
    });
    await expect(service.matchEvent(EVENT, logger)).rejects.toThrow('HTTP 503');
  });

  it('asks no outside source when told not to, and makes the event a concert that needs review', async () => {
    const { service, created } = matching({
      at: async () => {
        throw new Error('must not be asked');
      },
    });
    expect(await service.matchEvent(EVENT, logger, { lookUp: false })).toEqual({ status: 'done', value: { outcome: 'needs_review', concertId: 99 } });
    expect(created).toMatchObject([{ userId: 7, eventKey: EVENT.eventKey, venueId: VENUE.id, status: 'needs_review', city: 'Amsterdam' }]);
  });
});
