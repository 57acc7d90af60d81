import { useEffect, useId, useRef } from 'react';
import { estimateScan, isTerminal } from '../../../shared/scan-progress.js';
import type { ScanProgress } from '../../../shared/scan.schema.js';
import { describeError, errorCode } from '../lib/errors.js';
import { formatDuration, formatRate, plural } from '../lib/format.js';
import { useNow } from '../lib/useNow.js';
import { useScanProgress, type ScanSnapshot } from './useScanProgress.js';
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
  /** The scanned library's photos in the history now (sources.list), for a rescan that found nothing new. */
  libraryPhotos: number | null;
  libraryKind: 'local' | 'upload' | 'gdrive' | null;
  /** A note shown above the progress, e.g. "this library was already being scanned". */
  notice: string | null;
  /** Move focus here when it opens at the user's request. */
  focusOnMount: boolean;
  onOpenScan: (scanId: number) => void;
  onClose: () => void;
}

/** Live progress of one scan over SSE (scans.onProgress), then its summary and failed files. */
export function ScanPanel({ scanId, title, failureMessage, libraryPhotos, libraryKind, notice, focusOnMount, onOpenScan, onClose }: ScanPanelProps) {
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { snapshot, subscription, cancel, retryFailed } = useScanProgress(scanId, onOpenScan);
  const status = snapshot?.progress.status;

  // biome-ignore lint/correctness/useExhaustiveDependencies: only when it opens.
  useEffect(() => {
    if (focusOnMount) headingRef.current?.focus();
  }, []);

  const terminal = status !== undefined && isTerminal(status);
  const resubscribe = () => subscription.reset();

  let body;
  if (!snapshot) {
    const failure = subscription.error ? describeError(subscription.error) : null;
    body = failure ? (
      <ErrorState
        compact
        title={errorCode(subscription.error) === 'NOT_FOUND' ? 'This scan was not found' : "Couldn't show this scan's progress"}
        message={errorCode(subscription.error) === 'NOT_FOUND' ? 'It is not one of your scans, or its library was removed.' : failure.message}
        // Offered only where trying again can help: a scan that is not there will not be there next time either.
        onRetry={failure.retryable ? resubscribe : undefined}
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
        <ProgressDetails snapshot={snapshot} failureMessage={failureMessage} libraryPhotos={libraryPhotos} libraryKind={libraryKind} />
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

interface DetailsProps {
  snapshot: ScanSnapshot;
  failureMessage: string | null;
  libraryPhotos: number | null;
  libraryKind: ScanPanelProps['libraryKind'];
}

function ProgressDetails({ snapshot, failureMessage, libraryPhotos, libraryKind }: DetailsProps) {
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
    // setlist.fm's daily budget is spent: evenings wait for its next day and resume by themselves.
    if (progress.waiting && progress.waiting.until > now) pace = `Waiting for setlist.fm until ${formatWaitingUntil(progress.waiting.until)}`;
  }

  const summary = terminal ? summaryOf(progress, failureMessage, libraryPhotos) : null;
  const detail = terminal ? detailOf(progress, libraryPhotos, libraryKind) : null;
  // Screen readers hear the stage changes, every quarter and the end, not every count.
  const quarter = Math.floor(percent / 25) * 25;
  const announcement = summary ?? `${STAGE_LABELS[stage]}${stage === 'processing' && quarter > 0 ? `, ${quarter}% done` : ''}`;

  return (
    <div className="scan-progress">
      <p className="scan-progress__status">
        <span className={`badge badge--${status}`} data-testid="scan-status">
          {status}
        </span>
        {/* A scan stopped early is not "Done": the stage says where it stopped. */}
        <span className="scan-progress__stage">{terminal ? TERMINAL_LABELS[status] : STAGE_LABELS[stage]}</span>
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

      {pace && (
        <p className="scan-progress__pace" data-testid="scan-pace">
          {pace}
        </p>
      )}
      {summary && (
        <p className={status === 'completed' && counts.failed === 0 ? 'scan-summary' : 'scan-summary scan-summary--warn'} data-testid="scan-summary">
          {summary}
          {counts.duplicates > 0 && (
            <>
              {' '}
              <a href="#/duplicates">Compare the copies</a>
            </>
          )}
        </p>
      )}
      {detail && (
        <p className="scan-progress__detail muted" data-testid="scan-detail">
          {detail}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </div>
  );
}

const TERMINAL_LABELS: Record<ScanProgress['status'], string> = {
  queued: '',
  running: '',
  completed: 'Done',
  cancelled: 'Stopped before the end',
  failed: 'Stopped by an error',
};

function summaryOf({ status, counts }: ScanProgress, failureMessage: string | null, libraryPhotos: number | null): string {
  const done = counts.processed + counts.failed;
  const unchanged = counts.unchanged ?? 0;
  const extras = [
    counts.duplicates > 0 ? plural(counts.duplicates, 'duplicate') + ' found' : null,
    counts.failed > 0 ? `${plural(counts.failed, 'file')} failed` : null,
    unchanged > 0 ? `${plural(unchanged, 'unchanged photo')} skipped` : null,
  ].filter(Boolean);
  const tail = extras.length ? `; ${extras.join(', ')}` : '';
  switch (status) {
    case 'completed':
      if (counts.listed === 0) {
        // What is already there, in the library's own count when known (files that failed before are not photos of it).
        const already = libraryPhotos ?? unchanged;
        return already > 0
          ? `No new or changed photos — ${plural(already, 'photo')} already in your history.`
          : 'Scan complete: no photos found in this library.';
      }
      return `Scan complete: ${plural(counts.processed, 'photo')} read${tail}.`;
    case 'cancelled':
      return `Scan cancelled after ${done} of ${plural(counts.listed, 'photo')}${tail}.`;
    case 'failed':
      return `The scan stopped: ${failureMessage?.replace(/\.\s*$/, '') ?? 'something went wrong on the server'}. ${plural(done, 'photo')} read${tail}.`;
    default:
      return '';
  }
}

/** What a finished scan left as it is, and why: what was skipped, what a cancelled scan did not get to. */
function detailOf({ status, counts }: ScanProgress, libraryPhotos: number | null, kind: DetailsProps['libraryKind']): string | null {
  const unchanged = counts.unchanged ?? 0;
  if (status === 'cancelled') {
    const read = counts.processed;
    return read > 0
      ? `The ${plural(read, 'photo')} read before the cancel are in your library, but not yet in concerts: photos are matched to concerts at the end of a scan. Scan the library again to finish; what was read is skipped.`
      : 'Nothing was read. Scan the library again when you like.';
  }
  if (status !== 'completed' || counts.listed > 0) return unchanged > 0 ? skippedLine(unchanged) : null;
  if (unchanged > 0) return skippedLine(unchanged);
  if (kind === 'gdrive' && libraryPhotos) return 'Google Drive reported no change since the last scan, so nothing was read again.';
  return libraryPhotos ? null : 'This library holds no photo (JPEG, PNG, WebP, HEIC, AVIF or TIFF).';
}

function skippedLine(unchanged: number): string {
  return `Skipped: ${plural(unchanged, 'file')} unchanged since ${unchanged === 1 ? 'it was' : 'they were'} last read (same size and date, or the same checksum on Google Drive), so nothing of ${unchanged === 1 ? 'it' : 'them'} was read again.`;
}

/** "14:00" today, else "Tue 14:00": when the evenings waiting for setlist.fm go on. */
function formatWaitingUntil(until: number): string {
  const date = new Date(until);
  const sameDay = date.toDateString() === new Date().toDateString();
  return date.toLocaleString(undefined, sameDay ? { hour: '2-digit', minute: '2-digit' } : { weekday: 'short', hour: '2-digit', minute: '2-digit' });
}
