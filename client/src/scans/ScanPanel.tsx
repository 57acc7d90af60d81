import { useEffect, useId, useRef, useState } from 'react';
import { estimateScan, isTerminal } from '../../../shared/scan-progress.js';
import type { ScanProgress } from '../../../shared/scan.schema.js';
import { describeError, isUnauthorized } from '../lib/errors.js';
import { formatDuration, formatRate, plural } from '../lib/format.js';
import { useNow } from '../lib/useNow.js';
import { trpc } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';
import { STAGE_LABELS } from './labels.js';
import { ScanFailures } from './ScanFailures.js';

interface ScanPanelProps {
  scanId: number;
  /** e.g. "Scan of Summer festivals". */
  title: string;
  /** Why the scan failed, when the server recorded it (scans.list `error`). */
  failureMessage: string | null;
  /** A note shown above the progress, e.g. "this library was already being scanned". */
  notice: string | null;
  /** Move focus here when it opens at the user's request. */
  focusOnMount: boolean;
  onOpenScan: (scanId: number) => void;
  onClose: () => void;
}

interface Snapshot {
  progress: ScanProgress;
  /** Local clock, for counting the ETA down between updates whatever the server's clock says. */
  receivedAt: number;
}

/** Live progress of one scan over SSE (scans.onProgress), then its summary and failed files. */
export function ScanPanel({ scanId, title, failureMessage, notice, focusOnMount, onOpenScan, onClose }: ScanPanelProps) {
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const utils = trpc.useUtils();
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);

  const accept = (progress: ScanProgress) => {
    setSnapshot((previous) =>
      // A scan never comes back from the dead: ignore a late update after the final one.
      previous && isTerminal(previous.progress.status) && !isTerminal(progress.status)
        ? previous
        : { progress, receivedAt: Date.now() },
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
  const watchedLive = useRef(false);
  useEffect(() => {
    if (!status) return;
    if (!isTerminal(status)) {
      watchedLive.current = true;
      return;
    }
    // It just finished in front of us: the libraries' "last scanned", the scan list,
    // the photos, duplicates, concerts, inbox and stats have all changed.
    if (!watchedLive.current) return;
    void utils.scans.list.invalidate();
    void utils.sources.list.invalidate();
    void utils.photos.invalidate();
    void utils.concerts.invalidate();
    void utils.inbox.invalidate();
    void utils.stats.invalidate();
  }, [status]);

  useEffect(() => {
    if (focusOnMount) headingRef.current?.focus();
  }, []); // Only when it opens.

  const terminal = status !== undefined && isTerminal(status);
  const resubscribe = () => subscription.reset();

  let body;
  if (!snapshot) {
    body = subscription.error ? (
      <ErrorState
        compact
        title="Couldn't show this scan's progress"
        message={describeError(subscription.error).message}
        onRetry={resubscribe}
      />
    ) : (
      <Loading inline label="Connecting to the scan…" />
    );
  } else {
    let connection = null;
    if (!terminal && subscription.error) {
      connection = (
        <ErrorState
          compact
          title={subscription.status === 'connecting' ? 'Connection lost: reconnecting…' : 'Live progress stopped'}
          message={`${describeError(subscription.error).message} The scan itself keeps running on the server.`}
          onRetry={resubscribe}
        />
      );
    } else if (!terminal && subscription.status === 'idle') {
      connection = (
        <ErrorState
          compact
          title="Live progress stopped"
          message="The server stopped sending updates. The scan itself keeps running on the server."
          onRetry={resubscribe}
        />
      );
    }

    body = (
      <>
        <ProgressDetails snapshot={snapshot} failureMessage={failureMessage} />
        {connection}
        {!terminal && (
          <div className="scan-panel__actions">
            <button
              type="button"
              className="button button--secondary"
              onClick={() => cancel.mutate({ scanId })}
              disabled={cancel.isPending}
              aria-busy={cancel.isPending}
            >
              {cancel.isPending && <span className="spinner spinner--small" aria-hidden="true" />}
              Cancel scan
            </button>
          </div>
        )}
        {cancel.error && !terminal && (
          <ErrorState
            compact
            focusRetry
            title="Couldn't cancel the scan"
            message={describeError(cancel.error).message}
            onRetry={() => cancel.mutate({ scanId })}
            retrying={cancel.isPending}
          />
        )}
        {terminal && snapshot.progress.counts.failed > 0 && (
          <ScanFailures
            scanId={scanId}
            failedCount={snapshot.progress.counts.failed}
            onRetryFailed={() => retryFailed.mutate({ scanId })}
            retrying={retryFailed.isPending}
            retryError={retryFailed.error ? describeError(retryFailed.error).message : null}
          />
        )}
      </>
    );
  }

  return (
    <section className="card scan-panel" aria-labelledby={headingId} data-scan-id={scanId}>
      <div className="card__header">
        <h2 className="card__title" id={headingId} ref={headingRef} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="button button--ghost" onClick={onClose} aria-label="Close scan details">
          Close
        </button>
      </div>
      {notice && <p className="notice">{notice}</p>}
      {body}
    </section>
  );
}

function ProgressDetails({ snapshot, failureMessage }: { snapshot: Snapshot; failureMessage: string | null }) {
  const { progress, receivedAt } = snapshot;
  const { counts, status, stage } = progress;
  const terminal = isTerminal(status);
  const now = useNow(!terminal);

  const done = counts.processed + counts.failed;
  const indeterminate = !terminal && counts.listed === 0;
  const percent = counts.listed > 0 ? Math.min(100, Math.floor((done / counts.listed) * 100)) : terminal ? 100 : 0;
  const { photosPerSecond, etaSeconds } = estimateScan(progress, now);
  // Counted down locally between two updates.
  const secondsLeft = etaSeconds === null ? null : Math.max(0, etaSeconds - (now - receivedAt) / 1000);

  let pace: string | null = null;
  if (!terminal) {
    if (status === 'queued') pace = 'Waiting for a worker to pick the scan up…';
    else if (photosPerSecond === null || secondsLeft === null) pace = 'Estimating the time left…';
    else {
      const left =
        stage === 'matching'
          ? `${progress.events.done} of ${progress.events.total} evenings matched`
          : stage === 'deduplicating' || secondsLeft < 1
            ? 'almost done'
            : `about ${formatDuration(secondsLeft)} left`;
      pace = `${formatRate(photosPerSecond)} photos per second · ${left}`;
    }
  }

  const summary = terminal ? summaryOf(progress, failureMessage) : null;
  // Screen readers hear the stage changes, every quarter and the end, not every count.
  const quarter = Math.floor(percent / 25) * 25;
  const announcement = summary ?? `${STAGE_LABELS[stage]}${stage === 'processing' && quarter > 0 ? `, ${quarter}% done` : ''}`;

  return (
    <div className="scan-progress">
      <p className="scan-progress__status">
        <span className={`badge badge--${status}`} data-testid="scan-status">
          {status}
        </span>
        <span className="scan-progress__stage">{STAGE_LABELS[stage]}</span>
      </p>

      <div
        className={indeterminate ? 'progress progress--indeterminate' : 'progress'}
        role="progressbar"
        data-testid="scan-progress"
        aria-label="Photos read"
        aria-valuemin={0}
        aria-valuemax={counts.listed}
        aria-valuenow={indeterminate ? undefined : done}
        aria-valuetext={indeterminate ? 'Listing photos…' : `${done} of ${counts.listed} photos (${percent}%)`}
        aria-busy={!terminal}
      >
        <div className="progress__bar" style={{ width: indeterminate ? undefined : `${percent}%` }} />
      </div>
      <p className="scan-progress__fraction" aria-hidden="true">
        {indeterminate ? 'Listing photos…' : `${done} of ${counts.listed} photos · ${percent}%`}
      </p>

      <dl className="scan-counts" data-testid="scan-counts">
        <div className="scan-counts__item">
          <dt>Found</dt>
          <dd data-testid="count-listed">{counts.listed}</dd>
        </div>
        <div className="scan-counts__item">
          <dt>Processed</dt>
          <dd data-testid="count-processed">{counts.processed}</dd>
        </div>
        <div className={counts.failed > 0 ? 'scan-counts__item scan-counts__item--bad' : 'scan-counts__item'}>
          <dt>Failed</dt>
          <dd data-testid="count-failed">{counts.failed}</dd>
        </div>
        <div className="scan-counts__item">
          <dt>Duplicates</dt>
          <dd data-testid="count-duplicates">{counts.duplicates}</dd>
        </div>
      </dl>

      {pace && <p className="scan-progress__pace">{pace}</p>}
      {summary && (
        <p className={status === 'completed' && counts.failed === 0 ? 'scan-summary' : 'scan-summary scan-summary--warn'}>
          {summary}
          {counts.duplicates > 0 && (
            <>
              {' '}
              <a href="#/duplicates">Compare the copies</a>
            </>
          )}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </div>
  );
}

function summaryOf({ status, counts }: ScanProgress, failureMessage: string | null): string {
  const done = counts.processed + counts.failed;
  const extras = [
    counts.duplicates > 0 ? plural(counts.duplicates, 'duplicate') + ' found' : null,
    counts.failed > 0 ? `${plural(counts.failed, 'file')} failed` : null,
  ].filter(Boolean);
  const tail = extras.length ? `; ${extras.join(', ')}` : '';
  switch (status) {
    case 'completed':
      return counts.listed === 0
        ? 'Scan complete: no photos found in this library.'
        : `Scan complete: ${plural(counts.processed, 'photo')} read${tail}.`;
    case 'cancelled':
      return `Scan cancelled after ${done} of ${plural(counts.listed, 'photo')}${tail}.`;
    case 'failed':
      return `The scan stopped: ${failureMessage?.replace(/\.\s*$/, '') ?? 'something went wrong on the server'}. ${plural(done, 'photo')} read${tail}.`;
    default:
      return '';
  }
}
