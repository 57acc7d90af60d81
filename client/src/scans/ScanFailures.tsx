import { useId } from 'react';
import { describeError } from '../lib/errors.js';
import { formatCount, plural } from '../lib/format.js';
import { trpc } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';

const SHOWN_AT_MOST = 1000; // What scans.failures answers at most.

/**
 * Worth reading again: a read that failed along the way (the disk, the network, Drive) or a file or folder
 * that could not be opened (permissions the user can fix). A file judged by its content (empty, not an
 * image, damaged, too large) fails the same way every time.
 */
export function isRetryableFailure(reason: string | null): boolean {
  return !!reason && /^(Could not be read|This (file|folder) was skipped)/.test(reason);
}

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
            <p className="muted">
              Showing the first {formatCount(failures.data.length)} of {formatCount(failedCount)}.
            </p>
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
      {failures.data?.some((failure) => isRetryableFailure(failure.reason)) ? (
        <div className="scan-panel__actions">
          <button type="button" className="button button--primary" onClick={onRetryFailed} disabled={retrying} aria-busy={retrying}>
            {retrying && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
            Retry failed files
          </button>
        </div>
      ) : (
        failures.data &&
        failures.data.length > 0 && (
          <p className="muted" data-testid="failures-permanent">
            {failures.data.length === 1 ? 'This file is' : 'These files are'} not readable photos as they are, so reading them again would fail the
            same way. Replace or remove them in the library; a later scan picks up the new files.
          </p>
        )
      )}
      {retryError && (
        <p className="form-alert" role="alert">
          {retryError}
        </p>
      )}
    </section>
  );
}
