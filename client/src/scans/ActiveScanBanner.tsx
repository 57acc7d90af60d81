import { useEffect, useRef } from 'react';
import { estimateScan, isTerminal } from '../../../shared/scan-progress.js';
import { formatDuration, plural } from '../lib/format.js';
import { useNow } from '../lib/useNow.js';
import { hrefOf } from '../shell/route.js';
import { trpc } from '../trpc.js';
import { STAGE_LABELS } from './labels.js';
import { useRefreshAfterScan } from './useRefreshAfterScan.js';
import { useScanProgress } from './useScanProgress.js';

/** How often the scans are asked again while a library waits for its first scan (one may start on the server's side). */
const FIRST_SCAN_POLL_MS = 2_000;

/**
 * A scan running now, live, where the history is: concerts appear under it as the scan finds them. While the
 * history is empty and a library has never been scanned, the scans are asked again every few seconds, so a scan
 * started for the user (the demo's first scan, a schedule) shows up by itself.
 */
export function ActiveScanBanner({ waitingForFirstScan }: { waitingForFirstScan: boolean }) {
  const sources = trpc.sources.list.useQuery(undefined, { enabled: waitingForFirstScan });
  const neverScanned = waitingForFirstScan && !!sources.data?.some((source) => source.lastScanAt === null && source.disconnectedAt === null);
  const scans = trpc.scans.list.useQuery(undefined, {
    refetchInterval: (query) => (neverScanned && !query.state.data?.some((scan) => !isTerminal(scan.status)) ? FIRST_SCAN_POLL_MS : false),
  });
  const active = scans.data?.find((scan) => !isTerminal(scan.status));
  const refreshAfterScan = useRefreshAfterScan();
  const activeId = active?.id ?? null;
  const shownScan = useRef<number | null>(null);
  useEffect(() => {
    // A scan that left the banner has ended on the server, with everything it matched written: what it changed is
    // asked again, even when its last live events never reached this page (the list of scans may learn of the end
    // before the live stream says it).
    if (shownScan.current !== null && shownScan.current !== activeId) void refreshAfterScan();
    shownScan.current = activeId;
  }, [activeId, refreshAfterScan]);
  if (!active) return null;
  return <LiveScan key={active.id} scanId={active.id} sourceId={active.sourceId} />;
}

function LiveScan({ scanId, sourceId }: { scanId: number; sourceId: number }) {
  const utils = trpc.useUtils();
  const sources = trpc.sources.list.useQuery();
  const label = sources.data?.find((source) => source.id === sourceId)?.label ?? 'your library';
  const { snapshot } = useScanProgress(scanId, () => {});
  const progress = snapshot?.progress;
  const now = useNow(!!progress && !isTerminal(progress.status));

  // Concerts appear as the scan matches evenings: the timeline asks again when that count moves.
  const matched = progress?.counts.matched ?? 0;
  const seenMatched = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the count moves; the query utils are stable.
  useEffect(() => {
    if (matched <= seenMatched.current) return;
    seenMatched.current = matched;
    void utils.concerts.invalidate();
  }, [matched]);

  if (!progress || isTerminal(progress.status)) return null;
  const { counts, stage } = progress;
  const done = counts.processed + counts.failed;
  const percent = counts.listed > 0 ? Math.min(100, Math.floor((done / counts.listed) * 100)) : 0;
  const { etaSeconds } = estimateScan(progress, now);
  let line: string = STAGE_LABELS[stage];
  if (stage === 'processing' && counts.listed > 0) {
    line = `${done} of ${plural(counts.listed, 'photo')} read${etaSeconds ? ` · about ${formatDuration(etaSeconds)} left` : ''}`;
  } else if (stage === 'matching') {
    line = `Finding venues and concerts: ${progress.events.done} of ${plural(progress.events.total, 'evening')}`;
  }

  return (
    <section className="card active-scan" aria-labelledby="active-scan-title" data-testid="active-scan" data-scan-id={scanId}>
      <div className="active-scan__text">
        <h2 className="active-scan__title" id="active-scan-title">
          Scanning “{label}”
        </h2>
        <p className="muted" data-testid="active-scan-line">
          {line}. Concerts appear here as they are found.
        </p>
      </div>
      <div
        className={counts.listed === 0 ? 'progress progress--indeterminate' : 'progress'}
        role="progressbar"
        aria-label={`Scan of ${label}`}
        aria-valuemin={0}
        aria-valuemax={counts.listed}
        aria-valuenow={counts.listed === 0 ? undefined : done}
        aria-valuetext={counts.listed === 0 ? 'Listing photos…' : `${done} of ${counts.listed} photos (${percent}%)`}
      >
        <div className="progress__bar" style={{ width: counts.listed === 0 ? undefined : `${percent}%` }} />
      </div>
      <a className="active-scan__link" href={hrefOf({ view: 'library', scanId })}>
        Watch it in the Photos library
      </a>
    </section>
  );
}
