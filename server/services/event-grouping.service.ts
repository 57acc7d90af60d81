import { distanceMeters } from '../../shared/geo.js';
import type { JobPayload } from '../../shared/jobs.js';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { eventKeyOf, groupIntoEvents, type PlannedEvent } from '../matching/event-grouping.js';
import type { MatchRepository } from '../repositories/match.repository.js';

export type GroupEventsPayload = JobPayload<'group-events'>;

/** An event of the scan still to match: its photos carry its key. */
export interface EventToMatch {
  eventKey: string;
  evening: string;
  latitude: number;
  longitude: number;
  timeZone: string | null;
}

/** Where the photos of an evening can go: a concert the user already has, or an event of this scan. */
type EveningTarget = { kind: 'concert'; concertId: number } | { kind: 'event'; eventKey: string };

/**
 * After dedup: the scan's new photos become events. An event at the place and on
 * the evening of a concert the user already has joins it at once; every other
 * event is returned, to go on to venue detection and matching. Photos without a
 * position join their evening's only event; with several (or none) they stay
 * unmatched for the inbox. Running it again tags the same photos with the same keys.
 */
export class EventGroupingService {
  constructor(
    private readonly match: MatchRepository,
    private readonly config: Pick<AppConfig, 'matching'>,
  ) {}

  async group({ scanId, userId }: GroupEventsPayload, logger: Logger): Promise<EventToMatch[]> {
    const radius = this.config.matching.eventRadiusMeters;
    const { events, withoutPlace } = groupIntoEvents(await this.match.unassignedOfScan(userId, scanId), radius);

    const targets = new Map<string, EveningTarget[]>();
    const toMatch = new Map<string, PlannedEvent>();
    const knownOn = this.concertsByEvening(userId);
    for (const event of events) {
      const known = (await knownOn(event.evening)).find(
        (c) =>
          c.latitude !== null && c.longitude !== null && distanceMeters(event.center, { latitude: c.latitude, longitude: c.longitude }) <= radius,
      );
      let target: EveningTarget;
      if (known) {
        await this.match.assignPhotos(userId, event.photoIds, known.id);
        target = { kind: 'concert', concertId: known.id };
      } else {
        const eventKey = eventKeyOf(event);
        await this.match.tagPhotos(userId, event.photoIds, eventKey);
        if (!toMatch.has(eventKey)) toMatch.set(eventKey, event);
        target = { kind: 'event', eventKey };
      }
      addTarget(targets, event.evening, target);
    }

    let placedWithoutGps = 0;
    for (const [evening, photoIds] of withoutPlace) {
      for (const concert of await knownOn(evening)) addTarget(targets, evening, { kind: 'concert', concertId: concert.id });
      const only = targets.get(evening);
      if (only?.length !== 1) continue;
      const [target] = only as [EveningTarget];
      if (target.kind === 'concert') await this.match.assignPhotos(userId, photoIds, target.concertId);
      else await this.match.tagPhotos(userId, photoIds, target.eventKey);
      placedWithoutGps += photoIds.length;
    }

    logger.info({ scanId, events: events.length, toMatch: toMatch.size, placedWithoutGps }, 'events grouped');
    return [...toMatch].map(([eventKey, event]) => ({
      eventKey,
      evening: event.evening,
      latitude: event.center.latitude,
      longitude: event.center.longitude,
      timeZone: event.timeZone,
    }));
  }

  /** The user's concerts of an evening, read once per evening per run. */
  private concertsByEvening(userId: number) {
    const seen = new Map<string, Awaited<ReturnType<MatchRepository['concertsOnEvening']>>>();
    return async (evening: string) => {
      let concerts = seen.get(evening);
      if (!concerts) {
        concerts = await this.match.concertsOnEvening(userId, evening);
        seen.set(evening, concerts);
      }
      return concerts;
    };
  }
}

function addTarget(targets: Map<string, EveningTarget[]>, evening: string, target: EveningTarget) {
  const list = targets.get(evening) ?? [];
  const same = list.some((t) =>
    t.kind === 'concert' ? target.kind === 'concert' && t.concertId === target.concertId : target.kind === 'event' && t.eventKey === target.eventKey,
  );
  if (!same) list.push(target);
  targets.set(evening, list);
}
