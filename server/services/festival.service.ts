import type { LatLon } from '../../shared/geo.js';
import { centroid } from '../../shared/geo.js';
import type { z } from 'zod';
import type {
  festivalAddActInput,
  festivalAssignInput,
  festivalFromConcertInput,
  festivalRenameInput,
  festivalSetTimesInput,
} from '../../shared/festival.schema.js';
import { noViewCache, type ViewCache } from '../cache/versioned-cache.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { reverseGeocode } from '../geo/reverse-geocoder.js';
import { siteKeyOf } from '../integrations/setlistfm/festival-lineup.js';
import type { Logger } from '../logger.js';
import { actBySetTimes, clusterFestivalPhotos, rankActs, type LineupActForFit, type PhotoCluster } from '../matching/festival-clusters.js';
import type { MediaUrls } from '../media/media-urls.js';
import { presentStripPhoto } from '../media/photo-media.js';
import type { ArtistRepository } from '../repositories/artist.repository.js';
import type { ConcertRepository } from '../repositories/concert.repository.js';
import type { FestivalAct, FestivalRepository, FestivalRow, LineupAct } from '../repositories/festival.repository.js';
import type { Venue, VenueRepository } from '../repositories/venue.repository.js';
import type { AccessService } from './access.js';
import type { ArtistService } from './artist.service.js';
import {
  sharedArtistOf,
  type ConcertFactsSource,
  type FestivalFacts,
  type FestivalMatching,
  type MatchConcertPayload,
} from './concert-matching.service.js';

/** setlist.fm's facts of an evening at a venue: asked for the lineup when the user turns a concert into a festival. */
export type FestivalLineupSource = ConcertFactsSource;

/** How many clusters the inbox shows at once; the rest follow as these are assigned. */
const PENDING_CLUSTERS_SHOWN = 40;

/**
 * Festivals: recognised by matching (a day of setlist.fm's lineup at a site), or
 * declared by the user. A day's photos wait in clusters until the user assigns each
 * to an act with one click, or until set times the user entered place them. Each act
 * seen is a concert of its own under the festival.
 */
export class FestivalService implements FestivalMatching {
  constructor(
    private readonly access: AccessService,
    private readonly festivals: FestivalRepository,
    private readonly concerts: ConcertRepository,
    private readonly artists: ArtistRepository,
    private readonly artistService: ArtistService,
    private readonly venues: VenueRepository,
    private readonly mediaUrls: MediaUrls,
    /** setlist.fm's lineup of a day; null where it is not wired. */
    private readonly lineups: FestivalLineupSource | null,
    private readonly cache: ViewCache = noViewCache,
  ) {}

  festivalAt(userId: number, venueId: number, evening: string): Promise<number | null> {
    return this.festivals.dayAt(userId, venueId, evening);
  }

  /** setlist.fm's lineup of the event's day becomes (part of) the user's festival at that site. */
  async recordDay(payload: MatchConcertPayload, venue: Venue | null, facts: FestivalFacts): Promise<number> {
    const place = venue?.city ? { city: venue.city, countryCode: venue.countryCode } : reverseGeocode(payload.latitude, payload.longitude);
    const lineup = await this.lineupOf(facts);
    return this.festivals.joinOrCreate(
      payload.userId,
      {
        name: facts.name,
        venueId: venue?.id ?? null,
        siteKey: siteKeyOf(facts.siteName),
        siteName: facts.siteName,
        city: place?.city ?? null,
        countryCode: place?.countryCode ?? null,
        latitude: venue?.latitude ?? payload.latitude,
        longitude: venue?.longitude ?? payload.longitude,
        timeZone: payload.timeZone,
        source: 'setlistfm',
      },
      payload.evening,
      lineup,
    );
  }

  /** The event's photos wait in the festival; any that set times already place go to their act. */
  async takeEventPhotos(userId: number, eventKey: string, festivalId: number, logger: Logger): Promise<number> {
    const linked = await this.festivals.linkEventPhotos(userId, eventKey, festivalId);
    const placed = await this.assignBySetTimes(userId, festivalId);
    logger.info({ eventKey, festivalId, linked, placed }, 'event joined a festival');
    await this.cache.bumpUser(userId);
    return linked;
  }

  /** The festival page: days → acts (seen first, with their photos) and what still waits to be assigned. */
  async page(userId: number, festivalId: number) {
    const festival = await this.owned(userId, festivalId);
    const [acts, pending] = await Promise.all([this.festivals.acts(userId, festivalId), this.festivals.pendingPhotos(userId, festivalId)]);
    const seenIds = acts.flatMap((act) => (act.concertId ? [act.concertId] : []));
    const strips = await this.concerts.photoStrips(userId, seenIds);
    const waiting = countByEvening(clusterFestivalPhotos(pending));
    const days = [...new Set(acts.map((act) => act.dayDate))].sort().map((date) => ({
      date,
      waitingPhotos: waiting.get(date) ?? 0,
      acts: acts
        .filter((act) => act.dayDate === date)
        .map((act) => {
          const strip = act.concertId ? strips.get(act.concertId) : undefined;
          return {
            ...presentAct(act),
            photoCount: strip?.count ?? 0,
            photos: (strip?.photos ?? []).map((photo) => presentStripPhoto(this.mediaUrls, photo)),
          };
        }),
    }));
    return { festival: presentFestival(festival), days };
  }

  /** Clusters waiting for an act (of one festival, or of all), each with the day's lineup ranked by fit. */
  async pending(userId: number, festivalId?: number) {
    if (festivalId !== undefined) await this.owned(userId, festivalId);
    const photos = await this.festivals.pendingPhotos(userId, festivalId);
    const byFestival = new Map<number, typeof photos>();
    for (const photo of photos) if (photo.festivalId !== null) byFestival.set(photo.festivalId, [...(byFestival.get(photo.festivalId) ?? []), photo]);
    const named = new Map((await this.festivals.byIds(userId, [...byFestival.keys()])).map((row) => [row.id, row]));
    const out = [];
    for (const [id, festivalPhotos] of byFestival) {
      const festival = named.get(id);
      if (!festival) continue;
      const { acts, stageCenters } = await this.lineupForFit(userId, id);
      const clusters = clusterFestivalPhotos(festivalPhotos).map((cluster) => {
        const dayActs = acts.filter((act) => act.dayDate === cluster.evening);
        const ranked = rankActs(cluster, dayActs.map(asFit), stageCenters);
        const byId = new Map(dayActs.map((act) => [act.id, act]));
        return {
          evening: cluster.evening,
          photoIds: cluster.photoIds,
          from: clockOf(cluster.start),
          to: clockOf(cluster.end),
          candidates: ranked.map((fit) => ({ ...presentAct(byId.get(fit.actId)!), reasons: fit.reasons })),
        };
      });
      out.push({ festival: { id, name: festival.name }, clusters });
    }
    out.sort((a, b) => b.festival.id - a.festival.id);
    let room = PENDING_CLUSTERS_SHOWN;
    return out.map((entry) => {
      const shown = entry.clusters.slice(0, Math.max(room, 0));
      room -= shown.length;
      return { ...entry, clusters: shown, more: entry.clusters.length - shown.length };
    });
  }

  /** One click: these photos (a cluster, or part of one) were this act. */
  async assign(userId: number, input: z.output<typeof festivalAssignInput>): Promise<{ concertId: number; assigned: number }> {
    const festival = await this.owned(userId, input.festivalId);
    await this.access.requireOwned('festivalAct', userId, input.actId);
    await this.access.requireOwned('photo', userId, input.photoIds);
    const found = await this.festivals.act(userId, input.actId);
    if (!found || found.act.festivalId !== festival.id) throw new NotFoundError('Festival act');
    const concertId = await this.festivals.concertOfAct(userId, input.actId, festival);
    const assigned = await this.festivals.assignPhotos(userId, festival.id, input.photoIds, concertId);
    await this.cache.bumpUser(userId);
    return { concertId, assigned };
  }

  /** Set times entered once: every waiting cluster they place goes to its act. How many photos moved. */
  async setTimes(userId: number, input: z.output<typeof festivalSetTimesInput>): Promise<{ assigned: number }> {
    await this.access.requireOwned('festivalAct', userId, input.actId);
    if (input.setStart === input.setEnd) throw new ValidationError('A set cannot end when it starts');
    const found = await this.festivals.act(userId, input.actId);
    if (!found) throw new NotFoundError('Festival act');
    await this.festivals.setTimes(userId, input.actId, input.setStart, input.setEnd);
    const assigned = await this.assignBySetTimes(userId, found.act.festivalId);
    await this.cache.bumpUser(userId);
    return { assigned };
  }

  async rename(userId: number, input: z.output<typeof festivalRenameInput>): Promise<void> {
    await this.owned(userId, input.festivalId);
    await this.festivals.rename(userId, input.festivalId, input.name);
    await this.cache.bumpUser(userId);
  }

  /** An act setlist.fm does not list, added by the user to a day of the festival. */
  async addAct(userId: number, input: z.output<typeof festivalAddActInput>): Promise<{ actId: number }> {
    const festival = await this.owned(userId, input.festivalId);
    if (!withinDaysOf(festival, input.dayDate)) throw new ValidationError('That day is not one of the festival’s (or the day before or after)');
    await this.artistService.requireVisible(userId, input.artist);
    const artistId = await this.artistService.resolve(userId, input.artist);
    const actId = await this.festivals.addAct(userId, festival.id, input.dayDate, {
      artistId,
      stage: input.stage ?? null,
      setlistfmId: null,
      setlistfmUrl: null,
      setlist: null,
    });
    await this.cache.bumpUser(userId);
    return { actId };
  }

  /**
   * The user says the concert was a festival: a festival of its evening at its venue,
   * with setlist.fm's lineup there when it has one and the concert's artist as an act;
   * the concert's photos wait to be assigned act by act.
   */
  async fromConcert(userId: number, input: z.output<typeof festivalFromConcertInput>, logger: Logger): Promise<{ festivalId: number }> {
    await this.access.requireOwned('concert', userId, input.concertId);
    const concert = await this.concerts.find(userId, input.concertId);
    if (!concert) throw new NotFoundError('Concert');
    if (concert.festivalId) throw new ValidationError('This concert is already an act of a festival');
    const venue = concert.venueId ? await this.venues.findVisible(userId, concert.venueId) : null;
    let facts: FestivalFacts | null = null;
    try {
      const found = venue && this.lineups ? await this.lineups.at(venue, concert.concertDate) : null;
      facts = found && 'kind' in found ? found : null;
    } catch (error) {
      logger.warn({ err: error, concertId: concert.id }, 'setlist.fm lineup unavailable; the festival starts with the concert’s artist');
    }
    const siteName = facts?.siteName ?? venue?.name ?? concert.city ?? 'Festival';
    const lineup = facts ? await this.lineupOf(facts) : [];
    if (concert.artistId && !lineup.some((act) => act.artistId === concert.artistId)) {
      lineup.push({
        artistId: concert.artistId,
        stage: null,
        setlistfmId: concert.setlistfmId,
        setlistfmUrl: concert.setlistfmUrl,
        setlist: concert.setlist,
      });
    }
    const festivalId = await this.festivals.joinOrCreate(
      userId,
      {
        name: input.name ?? facts?.name ?? `${siteName} ${concert.concertDate.slice(0, 4)}`,
        venueId: venue?.id ?? null,
        siteKey: siteKeyOf(siteName),
        siteName,
        city: concert.city ?? venue?.city ?? null,
        countryCode: concert.countryCode ?? venue?.countryCode ?? null,
        latitude: concert.latitude ?? venue?.latitude ?? null,
        longitude: concert.longitude ?? venue?.longitude ?? null,
        timeZone: concert.timeZone,
        source: 'user',
      },
      concert.concertDate,
      lineup,
    );
    await this.festivals.releaseConcert(userId, concert.id, festivalId);
    await this.cache.bumpUser(userId);
    return { festivalId };
  }

  private async owned(userId: number, festivalId: number): Promise<FestivalRow> {
    await this.access.requireOwned('festival', userId, festivalId);
    const festival = await this.festivals.find(userId, festivalId);
    if (!festival) throw new NotFoundError('Festival');
    return festival;
  }

  private async lineupOf(facts: FestivalFacts): Promise<LineupAct[]> {
    const lineup: LineupAct[] = [];
    for (const act of facts.acts) {
      const artistId = await sharedArtistOf(this.artists, { artist: act.artist });
      lineup.push({ artistId, stage: act.stage, setlistfmId: act.setlistfmId, setlistfmUrl: act.url, setlist: act.setlist });
    }
    return lineup;
  }

  /** The lineup with what fitting needs: who was seen, and where each stage is (from photos already assigned there). */
  private async lineupForFit(userId: number, festivalId: number) {
    const [acts, places] = await Promise.all([this.festivals.acts(userId, festivalId), this.festivals.assignedPhotoPlaces(userId, festivalId)]);
    const stageOfConcert = new Map(acts.flatMap((act) => (act.concertId && act.stage ? [[act.concertId, act.stage] as const] : [])));
    const pointsByStage = new Map<string, LatLon[]>();
    for (const place of places) {
      const stage = place.concertId ? stageOfConcert.get(place.concertId) : undefined;
      if (!stage || place.latitude === null || place.longitude === null) continue;
      pointsByStage.set(stage, [...(pointsByStage.get(stage) ?? []), { latitude: place.latitude, longitude: place.longitude }]);
    }
    const stageCenters = new Map([...pointsByStage].map(([stage, points]) => [stage, centroid(points)]));
    return { acts, stageCenters };
  }

  /** Every waiting cluster of the festival that set times place in one act goes to it; how many photos moved. */
  private async assignBySetTimes(userId: number, festivalId: number): Promise<number> {
    const { acts, stageCenters } = await this.lineupForFit(userId, festivalId);
    if (!acts.some((act) => act.setStart && act.setEnd)) return 0;
    const festival = await this.festivals.find(userId, festivalId);
    if (!festival) return 0;
    let moved = 0;
    for (const cluster of clusterFestivalPhotos(await this.festivals.pendingPhotos(userId, festivalId))) {
      const actId = actBySetTimes(cluster, acts.filter((act) => act.dayDate === cluster.evening).map(asFit), stageCenters);
      if (actId === null) continue;
      const concertId = await this.festivals.concertOfAct(userId, actId, festival);
      moved += await this.festivals.assignPhotos(userId, festivalId, cluster.photoIds, concertId);
    }
    return moved;
  }
}

function asFit(act: FestivalAct): LineupActForFit {
  return { id: act.id, stage: act.stage, position: act.position, setStart: act.setStart, setEnd: act.setEnd, seen: act.concertId !== null };
}

function presentAct(act: FestivalAct) {
  return {
    id: act.id,
    dayDate: act.dayDate,
    artist: act.artist,
    stage: act.stage,
    setStart: act.setStart,
    setEnd: act.setEnd,
    setlistfmUrl: act.setlistfmUrl,
    concertId: act.concertId,
  };
}

function presentFestival(festival: FestivalRow) {
  const { id, name, siteName, venueId, city, countryCode, firstDate, lastDate, source } = festival;
  return { id, name, siteName, venueId, city, countryCode, firstDate, lastDate, source };
}

function countByEvening(clusters: readonly PhotoCluster[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const cluster of clusters) counts.set(cluster.evening, (counts.get(cluster.evening) ?? 0) + cluster.photoIds.length);
  return counts;
}

/** 'HH:mm' of minutes after the evening's midnight (past midnight wraps round). */
function clockOf(minutes: number): string {
  const inDay = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(inDay / 60)).padStart(2, '0')}:${String(inDay % 60).padStart(2, '0')}`;
}

/** A day may be added to a festival when it is one of its days or the day before or after. */
function withinDaysOf(festival: FestivalRow, day: string): boolean {
  const ms = (date: string) => Date.parse(`${date}T00:00:00Z`);
  const DAY = 86_400_000;
  return ms(day) >= ms(festival.firstDate) - DAY && ms(day) <= ms(festival.lastDate) + DAY;
}
