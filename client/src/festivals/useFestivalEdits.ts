import { trpc } from '../trpc.js';
import { useFestivalRefresh } from './useFestivalRefresh.js';

// The corrections made on a festival's page, one mutation per form: each shows its own result.

export function useRenameFestival() {
  const refresh = useFestivalRefresh();
  return trpc.festivals.rename.useMutation({ onSuccess: () => refresh() });
}

/**
 * An act's set times: the waiting clusters they hold move to it. How many photos moved
 * is told at once, through the mutation's own options: the form may be gone by the time
 * the refreshed page is in (an act that gets photos moves to the acts seen).
 */
export function useSetTimes(onSaved: (assigned: number) => void) {
  const refresh = useFestivalRefresh();
  return trpc.festivals.setTimes.useMutation({
    onSuccess: ({ assigned }) => {
      onSaved(assigned);
      return refresh();
    },
  });
}

/** An act setlist.fm does not list, added to a day's lineup. */
export function useAddAct() {
  const refresh = useFestivalRefresh();
  return trpc.festivals.addAct.useMutation({ onSuccess: () => refresh() });
}
