import { useId } from 'react';
import { describeError } from '../lib/errors.js';
import { formatCount, plural } from '../lib/format.js';
import { trpc } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';

const SHOWN_AT_MOST = 1000; // What scans.failures answers at most.

interface ScanFailuresProps {
  scanId: number;
  failedCount: number;
  onRetryFailed: () => void;
  retrying: boolean;
  retryError: string | null;
}

/** The files a finished scan could not read, with why, and a way to try them again. */
export function ScanFailures({ scanId, failedCount, onRetryFailed, retrying, retryError }: ScanFailuresProps) {
  const headingId = useId();
  const failures = trpc.scans.failures.useQuery({ scanId });

  let content;
  if (failures.data) {
    content =
      failures.data.length === 0 ? (
        <p className="muted">No failed files to show: a later scan may have read them since.</p>
      ) : (
        <>
          <ul className="failure-list">
            {failures.data.map((failure) => (
              <li className="failure-list__item" key={failure.id} data-testid="scan-failure">
                <span className="failure-list__name">{failure.fileName}</span>
                <span className="failure-list__reason">{failure.reason || 'Unknown reason'}</span>
              </li>
            ))}
          </ul>
          {failures.data.length >= SHOWN_AT_MOST && failedCount > failures.data.length && (
            <p className="muted">Showing the first {formatCount(failures.data.length)} of {formatCount(failedCount)}.</p>
          )}
        </>
      );
  } else if (failures.error) {
    content = (
      <ErrorState
        compact
        title="Couldn't load the failed files"
        message={describeError(failures.error).message}
        onRetry={() => void failures.refetch()}
        retrying={failures.isFetching}
      />
    );
  } else {
    content = <Loading inline label="Loading the failed files…" />;
  }

  return (
    <section className="scan-failures" aria-labelledby={headingId}>
      <h3 className="scan-failures__title" id={headingId}>
        {plural(failedCount, 'file')} could not be read
      </h3>
      {content}
      <div className="scan-panel__actions">
        <button type="button" className="button button--primary" onClick={onRetryFailed} disabled={retrying} aria-busy={retrying}>
          {retrying && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
          Retry failed files
        </button>
      </div>
      {retryError && (
        <p className="form-alert" role="alert">
          {retryError}
        </p>
      )}
    </section>
  );
}
