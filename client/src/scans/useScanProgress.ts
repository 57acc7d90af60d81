import { useEffect, useRef, useState } from 'react';
import { isTerminal } from '../../../shared/scan-progress.js';
import type { ScanProgress } from '../../../shared/scan.schema.js';
import { isUnauthorized } from '../lib/errors.js';
import { trpc } from '../trpc.js';
import { useRefreshAfterScan } from './useRefreshAfterScan.js';

export interface ScanSnapshot {
  progress: ScanProgress;
  /** Local clock, for counting the ETA down between updates whatever the server's clock says. */
  receivedAt: number;
}

/**
 * One scan's live progress (scans.onProgress over SSE) with its cancel and "retry failed files". A scan that
 * ends in front of the user refreshes everything it changed: libraries, scans, photos, concerts, inbox, stats.
 */
export function useScanProgress(scanId: number, onOpenScan: (scanId: number) => void) {
  const utils = trpc.useUtils();
  const [snapshot, setSnapshot] = useState<ScanSnapshot | null>(null);
  // Whether the scan's end is news to this page, so that what it changed must be asked again: it ran while
  // watched, or the list of scans did not know it had ended (a scan so short that it ended before its first
  // live event, while the list was fetched as it ran). Opening a long-finished scan asks nothing again.
  const endIsNews = useRef(false);

  const accept = (progress: ScanProgress) => {
    const listed = utils.scans.list.getData()?.find((row) => row.id === progress.scanId);
    if (!isTerminal(progress.status) || !listed || !isTerminal(listed.status)) endIsNews.current = true;
    setSnapshot((previous) =>
      // A scan never comes back from the dead: ignore a late update after the final one.
      previous && isTerminal(previous.progress.status) && !isTerminal(progress.status) ? previous : { progress, receivedAt: Date.now() },
    );
    // Keep the recent-scans list in step without asking the server again.
    utils.scans.list.setData(undefined, (rows) =>
      rows?.map((row) => (row.id === progress.scanId ? { ...row, ...progress.counts, status: progress.status } : row)),
    );
  };

  const subscription = trpc.scans.onProgress.useSubscription(
    { scanId },
    {
      onData: accept,
      onError: (error) => {
        // The session ended: App falls back to the login page.
        if (isUnauthorized(error)) void utils.auth.me.invalidate();
      },
    },
  );

  const cancel = trpc.scans.cancel.useMutation({ onSuccess: accept });
  const retryFailed = trpc.scans.retryFailed.useMutation({
    onSuccess: ({ scanId: nextScanId }) => {
      void utils.scans.list.invalidate();
      onOpenScan(nextScanId);
    },
  });

  const status = snapshot?.progress.status;
  const refreshAfterScan = useRefreshAfterScan();
  useEffect(() => {
    if (status && isTerminal(status) && endIsNews.current) void refreshAfterScan();
  }, [status, refreshAfterScan]);

  return { snapshot, subscription, cancel, retryFailed };
}
