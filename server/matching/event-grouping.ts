/**
 * Photos → events: the photos of one evening taken within a few hundred metres of
 * each other. Pure, so the rule can be read and tested on its own.
 */
import { centroid, distanceMeters, type LatLon } from '../../shared/geo.js';
import { eveningOf } from './evening.js';

export interface GroupablePhoto {
  id: number;
  takenAt: Date | null;
  timeZone: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface PlannedEvent {
  evening: string;
  center: LatLon;
  /** The zone most of its photos were taken in (from their GPS). */
  timeZone: string | null;
  photoIds: number[];
}

export interface EventGrouping {
  events: PlannedEvent[];
  /** Evening → photos of that evening without a position. */
  withoutPlace: Map<string, number[]>;
  /** No capture time: no evening to belong to. */
  undated: number[];
}

/**
 * Within an evening, a photo joins the first event whose centre is within
 * `radiusMeters`, else starts one; centres follow their photos. Photos are taken
 * in time order, so a venue's crowd of photos settles on one centre.
 */
export function groupIntoEvents(photos: readonly GroupablePhoto[], radiusMeters: number): EventGrouping {
  const events: Array<PlannedEvent & { points: LatLon[]; zones: string[] }> = [];
  const withoutPlace = new Map<string, number[]>();
  const undated: number[] = [];
  const inTimeOrder = [...photos].sort((a, b) => (a.takenAt?.getTime() ?? 0) - (b.takenAt?.getTime() ?? 0) || a.id - b.id);
  for (const photo of inTimeOrder) {
    if (!photo.takenAt) {
      undated.push(photo.id);
      continue;
    }
    const evening = eveningOf(photo.takenAt, photo.timeZone);
    if (photo.latitude === null || photo.longitude === null) {
      withoutPlace.set(evening, [...(withoutPlace.get(evening) ?? []), photo.id]);
      continue;
    }
    const point = { latitude: photo.latitude, longitude: photo.longitude };
    const event = events.find((e) => e.evening === evening && distanceMeters(e.center, point) <= radiusMeters);
    if (event) {
      event.photoIds.push(photo.id);
      event.points.push(point);
      event.center = centroid(event.points);
      if (photo.timeZone) event.zones.push(photo.timeZone);
    } else {
      events.push({ evening, center: point, timeZone: null, photoIds: [photo.id], points: [point], zones: photo.timeZone ? [photo.timeZone] : [] });
    }
  }
  return {
    events: events.map(({ evening, center, photoIds, zones }) => ({ evening, center, photoIds, timeZone: mostCommon(zones) })),
    withoutPlace,
    undated,
  };
}

/** A stable name for an event: its evening and where it was, to about 100 m. At most 64 characters. */
export function eventKeyOf(event: Pick<PlannedEvent, 'evening' | 'center'>): string {
  return `${event.evening}@${event.center.latitude.toFixed(3)},${event.center.longitude.toFixed(3)}`;
}

/** The value seen most often (the first of equals), or null for none. */
export function mostCommon(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | null = null;
  for (const [value, count] of counts) if (best === null || count > counts.get(best)!) best = value;
  return best;
}
