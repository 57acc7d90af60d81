import { useCallback } from 'react';
import { trpc } from '../trpc.js';

/**
 * After a scan has ended: the libraries' "last scanned", the list of scans, the photos, duplicates, concerts,
 * festivals, inbox and stats may all show something else now. Asking again also drops a fetch still in flight
 * from before the end.
 */
export function useRefreshAfterScan() {
  const utils = trpc.useUtils();
  return useCallback(
    () =>
      Promise.all([
        utils.scans.list.invalidate(),
        utils.sources.list.invalidate(),
        utils.photos.invalidate(),
        utils.duplicates.invalidate(),
        utils.concerts.invalidate(),
        utils.festivals.invalidate(),
        utils.inbox.invalidate(),
        utils.stats.invalidate(),
      ]),
    [utils],
  );
}
