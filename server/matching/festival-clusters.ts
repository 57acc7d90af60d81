/**
 * A festival day's photos → clusters (one act each, as far as the photos tell), and
 * which of the day's acts fits a cluster best. setlist.fm gives no set times, so
 * nothing here assigns by itself except by set times the user entered. Pure.
 */
import { minutesIntoEvening } from '../../shared/festival.schema.js';
import { centroid, distanceMeters, type LatLon } from '../../shared/geo.js';
import { zoneOffsetAt } from '../media/zoned-time.js';
import { eveningOf } from './evening.js';

/** A pause this long between two photos ends a cluster: the next act had not started yet. */
export const CLUSTER_GAP_MINUTES = 20;
/** A photo this far from the cluster's centre was taken at another stage. */
export const STAGE_SPLIT_METERS = 150;
/** Set times are rounded by people: a photo this close outside a set still fits it. */
const SET_TIME_SLACK_MINUTES = 10;

export interface ClusterablePhoto {
  id: number;
  takenAt: Date | null;
  timeZone: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface PhotoCluster {
  evening: string;
  photoIds: number[];
  /** Minutes after the evening's midnight, local time (past midnight is over 1,440). */
  start: number;
  end: number;
  center: LatLon | null;
}

/** Clusters by evening, in time order. Photos without a capture time belong to no cluster. */
export function clusterFestivalPhotos(photos: readonly ClusterablePhoto[]): PhotoCluster[] {
  const timed = photos
    .flatMap((photo) => (photo.takenAt ? [{ ...photo, takenAt: photo.takenAt }] : []))
    .map((photo) => {
      const evening = eveningOf(photo.takenAt, photo.timeZone);
      return { photo, evening, minute: localMinutesInto(evening, photo.takenAt, photo.timeZone) };
    })
    .sort((a, b) => a.evening.localeCompare(b.evening) || a.minute - b.minute || a.photo.id - b.photo.id);
  const clusters: Array<PhotoCluster & { points: LatLon[] }> = [];
  for (const { photo, evening, minute } of timed) {
    const point = photo.latitude !== null && photo.longitude !== null ? { latitude: photo.latitude, longitude: photo.longitude } : null;
    const last = clusters.at(-1);
    const sameCluster =
      last &&
      last.evening === evening &&
      minute - last.end <= CLUSTER_GAP_MINUTES &&
      !(point && last.center && distanceMeters(point, last.center) > STAGE_SPLIT_METERS);
    if (sameCluster) {
      last.photoIds.push(photo.id);
      last.end = minute;
      if (point) {
        last.points.push(point);
        last.center = centroid(last.points);
      }
    } else {
      clusters.push({ evening, photoIds: [photo.id], start: minute, end: minute, center: point, points: point ? [point] : [] });
    }
  }
  return clusters.map(({ points: _points, ...cluster }) => cluster);
}

/** Minutes from the evening's midnight to the photo's local time. A null zone means a floating wall time stored as UTC. */
function localMinutesInto(evening: string, takenAt: Date, timeZone: string | null): number {
  const offset = timeZone ? zoneOffsetAt(takenAt.getTime(), timeZone) : 0;
  return Math.round((takenAt.getTime() + offset - Date.parse(`${evening}T00:00:00Z`)) / 60_000);
}

export interface LineupActForFit {
  id: number;
  stage: string | null;
  position: number;
  setStart: string | null;
  setEnd: string | null;
  /** Already seen that day: a cluster was assigned to it. */
  seen: boolean;
}

export type FitReason = 'in_set_time' | 'partly_in_set_time' | 'outside_set_time' | 'at_its_stage' | 'at_another_stage' | 'already_assigned';

export interface ActFit {
  actId: number;
  score: number;
  reasons: FitReason[];
}

/** A set's window in minutes after the evening's midnight, or null without times. */
function setWindow(act: Pick<LineupActForFit, 'setStart' | 'setEnd'>): [number, number] | null {
  if (!act.setStart || !act.setEnd) return null;
  const start = minutesIntoEvening(act.setStart);
  let end = minutesIntoEvening(act.setEnd);
  if (end <= start) end += 24 * 60;
  return [start - SET_TIME_SLACK_MINUTES, end + SET_TIME_SLACK_MINUTES];
}

/**
 * The day's acts, best fit first: within its set times, at its stage (where the
 * stage's place is known from photos already assigned), not seen yet that day; then
 * in setlist.fm's order.
 */
export function rankActs(cluster: PhotoCluster, acts: readonly LineupActForFit[], stageCenters: ReadonlyMap<string, LatLon>): ActFit[] {
  return acts
    .map((act) => {
      const reasons: FitReason[] = [];
      let score = 0;
      const window = setWindow(act);
      if (window) {
        const inside = cluster.start >= window[0] && cluster.end <= window[1];
        const overlaps = cluster.start <= window[1] && cluster.end >= window[0];
        const [points, reason]: [number, FitReason] = inside ? [4, 'in_set_time'] : overlaps ? [2, 'partly_in_set_time'] : [-4, 'outside_set_time'];
        score += points;
        reasons.push(reason);
      }
      const stageCenter = act.stage ? stageCenters.get(act.stage) : undefined;
      if (stageCenter && cluster.center) {
        const near = distanceMeters(stageCenter, cluster.center) <= STAGE_SPLIT_METERS;
        score += near ? 1 : -1;
        reasons.push(near ? 'at_its_stage' : 'at_another_stage');
      }
      if (act.seen) {
        score -= 2;
        reasons.push('already_assigned');
      }
      return { actId: act.id, score, reasons, position: act.position };
    })
    .sort((a, b) => b.score - a.score || a.position - b.position)
    .map(({ position: _position, ...fit }) => fit);
}

/**
 * The one act whose set times hold the whole cluster (when two stages overlap, the
 * one whose stage the photos were at), or null when none or several do: never a guess.
 */
export function actBySetTimes(cluster: PhotoCluster, acts: readonly LineupActForFit[], stageCenters: ReadonlyMap<string, LatLon>): number | null {
  const holding = acts.filter((act) => {
    const window = setWindow(act);
    return window !== null && cluster.start >= window[0] && cluster.end <= window[1];
  });
  if (holding.length === 1) return holding[0]!.id;
  const center = cluster.center;
  if (!center) return null;
  const atItsStage = holding.filter((act) => {
    const stageCenter = act.stage ? stageCenters.get(act.stage) : undefined;
    return stageCenter !== undefined && distanceMeters(stageCenter, center) <= STAGE_SPLIT_METERS;
  });
  return atItsStage.length === 1 ? atItsStage[0]!.id : null;
}
