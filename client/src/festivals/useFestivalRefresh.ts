import { useCallback } from 'react';
import { trpc } from '../trpc.js';

/**
 * After a festival change (a cluster assigned, set times, an act added, a rename):
 * the festival's page and clusters, the inbox, the timeline's cards and the stats
 * may all show something else now.
 */
export function useFestivalRefresh() {
  const utils = trpc.useUtils();
  return useCallback(
    () =>
      Promise.all([
        utils.festivals.invalidate(),
        utils.inbox.invalidate(),
        utils.concerts.invalidate(),
        utils.photos.list.invalidate(),
        utils.stats.invalidate(),
      ]),
    [utils],
  );
}
