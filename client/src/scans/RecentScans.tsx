import type { Ref } from 'react';
import { isTerminal } from '../../../shared/scan-progress.js';
import { describeError } from '../lib/errors.js';
import { formatCount, formatDateTime, plural } from '../lib/format.js';
import { hrefOf } from '../shell/route.js';
import type { RouterOutputs } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';
import { STATUS_LABELS } from './labels.js';

export type ScanRow = RouterOutputs['scans']['list'][number];

interface RecentScansProps {
  scans: { data: ScanRow[] | undefined; error: unknown; isFetching: boolean; refetch: () => unknown };
  sourceName: (sourceId: number) => string;
  currentScanId: number | null;
  headingRef: Ref<HTMLHeadingElement>;
}

/** The latest scans, newest first; each reopens in the scan panel. */
export function RecentScans({ scans, sourceName, currentScanId, headingRef }: RecentScansProps) {
  let content;
  if (scans.data) {
    content =
      scans.data.length === 0 ? (
        <p className="muted">No scans yet. Use “Scan now” on a library to read its photos.</p>
      ) : (
        <ul className="scan-list">
          {scans.data.map((scan) => {
            const when = scan.startedAt ?? scan.createdAt;
            const done = scan.processed + scan.failed;
            return (
              <li key={scan.id}>
                <a
                  className="scan-list__link"
                  href={hrefOf({ view: 'library', scanId: scan.id })}
                  aria-current={scan.id === currentScanId ? 'true' : undefined}
                >
                  <span className="scan-list__main">
                    <span className="scan-list__name">{sourceName(scan.sourceId)}</span>
                    <time className="scan-list__time" dateTime={when.toISOString()}>
                      {formatDateTime(when)}
                    </time>
                  </span>
                  <span className="scan-list__meta">
                    <span className={`badge badge--${scan.status}`}>{STATUS_LABELS[scan.status]}</span>
                    <span>
                      {countsOf(scan, done)}
                      {scan.failed > 0 && ` · ${scan.failed} failed`}
                    </span>
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      );
  } else if (scans.error) {
    content = (
      <ErrorState
        compact
        title="Couldn't load your scans"
        message={describeError(scans.error).message}
        onRetry={() => void scans.refetch()}
        retrying={scans.isFetching}
      />
    );
  } else {
    content = <Loading inline label="Loading your scans…" />;
  }

  return (
    <section className="library-section" aria-labelledby="recent-scans-title">
      <h2 className="library-section__title" id="recent-scans-title" ref={headingRef} tabIndex={-1}>
        Recent scans
      </h2>
      {content}
    </section>
  );
}

/** "12 of 40 photos", "No new photos · 376 unchanged", "Starting…". */
function countsOf(scan: ScanRow, done: number): string {
  const unchanged = scan.unchanged ? ` · ${formatCount(scan.unchanged)} unchanged` : '';
  if (isTerminal(scan.status) && scan.listed === 0) return scan.unchanged ? `No new photos${unchanged}` : 'No new photos';
  if (isTerminal(scan.status) || scan.listed > 0) return `${done} of ${plural(scan.listed, 'photo')}${unchanged}`;
  return 'Starting…';
}
