import type { ClusterCandidate } from './useFestivalClusters.js';

type Reason = ClusterCandidate['reasons'][number];

const REASON_TEXT: Record<Reason, string> = {
  in_set_time: 'in its set time',
  partly_in_set_time: 'partly in its set time',
  outside_set_time: 'outside its set time',
  at_its_stage: 'at its stage',
  at_another_stage: 'at another stage',
  already_assigned: 'already assigned today',
};

/** Why a candidate is where it is in the list, in a few words: "in its set time, at its stage". */
export function reasonText(reasons: readonly Reason[]): string {
  return reasons.map((reason) => REASON_TEXT[reason]).join(', ');
}

/** "19:00–20:15", or null when setlist.fm and the user gave no times. */
export function setTimesText(setStart: string | null, setEnd: string | null): string | null {
  return setStart && setEnd ? `${setStart}–${setEnd}` : null;
}
