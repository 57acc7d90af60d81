import { useId, useState } from 'react';
import { isTerminal } from '../../../shared/scan-progress.js';
import { describeError } from '../lib/errors.js';
import { formatDateTime, plural } from '../lib/format.js';
import { hrefOf } from '../shell/route.js';
import type { RouterOutputs } from '../trpc.js';
import type { ScanRow } from '../scans/RecentScans.js';
import { useStartScan, type StartedScan } from '../scans/useStartScan.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';
import { RemoveLibraryDialog, useLibraryRemoval, type LibraryAction, type LibraryRemoved } from './RemoveLibraryDialog.js';
import { RescanSchedule } from './RescanSchedule.js';

export type Source = RouterOutputs['sources']['list'][number];

const KIND_LABELS: Record<Source['kind'], string> = {
  local: 'Server folder',
  upload: 'Uploads',
  gdrive: 'Google Drive',
};

interface SourceListProps {
  sources: { data: Source[] | undefined; error: unknown; isFetching: boolean; refetch: () => unknown };
  scans: ScanRow[] | undefined;
  /** The scan shown in the panel: no "Show progress" link to it. */
  openScanId: number | null;
  onScanStarted: (scan: StartedScan) => void;
}

export function SourceList({ sources, scans, openScanId, onScanStarted }: SourceListProps) {
  // What was just disconnected or removed, said where the library was.
  const [done, setDone] = useState<string | null>(null);
  const announce = (result: LibraryRemoved, source: Source) =>
    setDone(
      result.mode === 'disconnect'
        ? `“${source.label}” is disconnected. Its photos and concerts stay in your history.`
        : `“${source.label}” is removed: ${plural(result.photos, 'photo')}${result.concerts ? ` and ${plural(result.concerts, 'concert')} found only in them` : ''} deleted.`,
    );
  const status = (
    <p className={done ? 'notice library-message' : 'visually-hidden'} role="status" data-testid="library-removed">
      {done ?? ''}
    </p>
  );
  if (sources.error && !sources.data) {
    return (
      <ErrorState
        compact
        title="Couldn't load your libraries"
        message={describeError(sources.error).message}
        onRetry={() => void sources.refetch()}
        retrying={sources.isFetching}
      />
    );
  }
  if (!sources.data) return <Loading inline label="Loading your libraries…" />;
  if (sources.data.length === 0) {
    return (
      <>
        {status}
        <div className="empty-state empty-state--small">
          <p className="empty-state__title">No photo libraries yet</p>
          <p className="empty-state__text">Upload photos, add a folder from the server, or connect Google Drive below.</p>
        </div>
      </>
    );
  }
  return (
    <>
      {status}
      <ul className="source-list">
        {sources.data.map((source) => (
          <SourceCard
            key={source.id}
            source={source}
            // scans.list is newest first: the first unfinished one is this library's live scan.
            activeScanId={scans?.find((scan) => scan.sourceId === source.id && !isTerminal(scan.status))?.id ?? null}
            openScanId={openScanId}
            onScanStarted={onScanStarted}
            onRemoved={announce}
          />
        ))}
      </ul>
    </>
  );
}

interface SourceCardProps {
  source: Source;
  activeScanId: number | null;
  openScanId: number | null;
  onScanStarted: (scan: StartedScan) => void;
  onRemoved: (result: LibraryRemoved, source: Source) => void;
}

function SourceCard({ source, activeScanId, openScanId, onScanStarted, onRemoved }: SourceCardProps) {
  const titleId = useId();
  const start = useStartScan(onScanStarted);
  const error = start.error ? describeError(start.error) : null;
  const [confirming, setConfirming] = useState<LibraryAction | null>(null);
  const removal = useLibraryRemoval((result, removed) => {
    setConfirming(null);
    onRemoved(result, removed);
  });
  const disconnected = source.disconnectedAt !== null;
  const closeDialog = () => {
    setConfirming(null);
    removal.reset();
  };
  const detail = source.kind === 'local' ? source.localPath : source.kind === 'gdrive' ? source.googleAccountEmail : 'Uploaded photos';

  return (
    <li className={disconnected ? 'source-card source-card--disconnected' : 'source-card'} data-source-id={source.id} data-kind={source.kind}>
      <span className="source-card__icon" aria-hidden="true">
        <SourceIcon kind={source.kind} />
      </span>
      <div className="source-card__body">
        <p className="source-card__kind">{KIND_LABELS[source.kind]}</p>
        <h3 className="source-card__title" id={titleId}>
          {source.label}
        </h3>
        {detail && detail !== source.label && <p className="source-card__detail">{detail}</p>}
        <p className="source-card__meta">
          {source.lastScanAt ? (
            <>
              Last scanned <time dateTime={source.lastScanAt.toISOString()}>{formatDateTime(source.lastScanAt)}</time>
            </>
          ) : (
            'Never scanned'
          )}
          {' · '}
          {plural(source.photoCount, 'photo')} in your history
        </p>
        {disconnected ? (
          <p className="source-card__disconnected" data-testid="source-disconnected">
            Disconnected: not scanned any more; its photos stay in your history. Add the same {source.kind === 'gdrive' ? 'Google account' : 'folder'}{' '}
            again to reconnect it.
          </p>
        ) : (
          source.kind !== 'upload' && <RescanSchedule sourceId={source.id} />
        )}
      </div>
      <div className="source-card__actions">
        {activeScanId !== null && activeScanId !== openScanId && (
          <a className="button button--ghost" href={hrefOf({ view: 'library', scanId: activeScanId })} aria-describedby={titleId}>
            Show progress
          </a>
        )}
        {!disconnected && (
          <button
            type="button"
            className="button button--primary"
            onClick={() => start.mutate(source.id)}
            disabled={start.isPending}
            aria-busy={start.isPending}
            aria-describedby={titleId}
          >
            {start.isPending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
            Scan now
          </button>
        )}
        {/* Uploads live here: there is nothing to disconnect from, only photos to keep or remove. */}
        {!disconnected && source.kind !== 'upload' && (
          <button
            type="button"
            className="button button--ghost"
            onClick={() => setConfirming('disconnect')}
            aria-haspopup="dialog"
            aria-describedby={titleId}
          >
            Disconnect…
          </button>
        )}
        <button
          type="button"
          className="button button--ghost button--ghost-danger"
          onClick={() => setConfirming('remove')}
          aria-haspopup="dialog"
          aria-describedby={titleId}
        >
          Remove…
        </button>
      </div>
      {confirming && (
        <RemoveLibraryDialog
          source={source}
          action={confirming}
          pending={removal.pending}
          error={removal.error}
          onConfirm={() => void removal.run(confirming, source)}
          onClose={closeDialog}
        />
      )}
      {error && (
        <div className="source-card__error">
          {error.retryable ? (
            <ErrorState
              compact
              focusRetry
              title="Couldn't start the scan"
              message={error.message}
              onRetry={() => start.mutate(source.id)}
              retrying={start.isPending}
            />
          ) : (
            <p className="form-alert" role="alert">
              {error.message}
            </p>
          )}
        </div>
      )}
    </li>
  );
}

function SourceIcon({ kind }: { kind: Source['kind'] }) {
  const common = {
    viewBox: '0 0 24 24',
    width: 24,
    height: 24,
    fill: 'none',
    stroke: 'currentColor',
    strokeWidth: 2,
    strokeLinecap: 'round',
    strokeLinejoin: 'round',
    focusable: 'false',
  } as const;
  switch (kind) {
    case 'local':
      return (
        <svg {...common} aria-hidden="true">
          <path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" />
        </svg>
      );
    case 'upload':
      return (
        <svg {...common} aria-hidden="true">
          <path d="M12 16V4M7 9l5-5 5 5M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
        </svg>
      );
    case 'gdrive':
      return (
        <svg {...common} aria-hidden="true">
          <path d="M8.5 3h7l6 10.5-3.5 6h-12L2.5 13.5z M8.5 3l6 10.5H21.5 M2.5 13.5h12l-3.5 6" />
        </svg>
      );
  }
}
