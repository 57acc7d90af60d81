import { useId, useState, type FormEvent } from 'react';
import { HISTORY_EXPORT_FORMATS, HISTORY_EXPORT_RETENTION_DAYS, isExportBuilding, type HistoryExportFormat } from '../../../shared/export.js';
import { describeError } from '../lib/errors.js';
import { formatBytes, formatCount, formatDateTime } from '../lib/format.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';
import './HistoryExports.css';

type ExportState = RouterOutputs['exports']['get'];

const FORMATS: Record<HistoryExportFormat, { label: string; hint: string }> = {
  pdf: { label: 'Concert book (PDF)', hint: 'A page per concert: artist, venue, date, setlist and starred photos' },
  csv: { label: 'Spreadsheet (CSV)', hint: 'One row per concert' },
  json: { label: 'Data (JSON)', hint: 'For programs' },
};

/** While an export builds, its state is asked for this often. */
const POLL_MS = 1_000;
/** Download links live an hour: the list is fetched again well before they run out. */
const LINKS_REFRESH_MS = 15 * 60_000;

/**
 * Exports built in the background (exports.start): pick a format, watch it build,
 * then download it through its signed link. Recent exports are listed, so one
 * started before a reload is still there.
 */
export function HistoryExports() {
  const headingId = useId();
  const utils = trpc.useUtils();
  const [format, setFormat] = useState<HistoryExportFormat>('pdf');
  const recent = useRecentExports();
  const start = trpc.exports.start.useMutation({ onSuccess: () => utils.exports.list.invalidate() });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate({ format });
  };
  const building = recent.data?.some((item) => item.format === format && isExportBuilding(item.status)) ?? false;

  return (
    <section className="card settings-section" aria-labelledby={headingId}>
      <h2 className="card__title" id={headingId}>
        Concert book and saved exports
      </h2>
      <p className="muted">Built in the background, so you can leave this page. Files are kept for {HISTORY_EXPORT_RETENTION_DAYS} days.</p>
      <form className="history-exports__form" onSubmit={onSubmit}>
        <fieldset className="history-exports__formats">
          <legend className="visually-hidden">Format</legend>
          {HISTORY_EXPORT_FORMATS.map((value) => (
            <label key={value} className="history-exports__format">
              <input type="radio" name="export-format" value={value} checked={format === value} onChange={() => setFormat(value)} />
              <span>
                <span className="history-exports__format-label">{FORMATS[value].label}</span>
                <span className="history-exports__format-hint">{FORMATS[value].hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div className="settings-actions">
          <button type="submit" className="button button--primary" disabled={start.isPending || building}>
            {start.isPending && <span className="spinner spinner--small" aria-hidden="true" />}
            {building ? 'Being built…' : 'Build export'}
          </button>
        </div>
        {start.error && (
          <p className="history-exports__error" role="alert">
            {describeError(start.error).message}
          </p>
        )}
      </form>
      <RecentExports />
    </section>
  );
}

const useRecentExports = () => trpc.exports.list.useQuery(undefined, { refetchInterval: LINKS_REFRESH_MS });

function RecentExports() {
  const recent = useRecentExports();
  if (recent.error) {
    return (
      <ErrorState
        compact
        title="Couldn't load your exports"
        message={describeError(recent.error).message}
        onRetry={() => void recent.refetch()}
        retrying={recent.isFetching}
      />
    );
  }
  if (!recent.data) return <Loading inline label="Loading your exports…" />;
  if (!recent.data.length) return null;
  return (
    <ul className="history-exports__list" aria-label="Your recent exports">
      {recent.data.map((item) => (
        <li key={item.exportId} className="history-exports__item" data-testid="history-export" data-status={item.status}>
          {isExportBuilding(item.status) ? <BuildingExport initial={item} /> : <ExportSummary state={item} />}
        </li>
      ))}
    </ul>
  );
}

/** Asks for the export's state (exports.get) every second until it is built or failed, then refreshes the list. */
function BuildingExport({ initial }: { initial: ExportState }) {
  const utils = trpc.useUtils();
  const live = trpc.exports.get.useQuery(
    { exportId: initial.exportId },
    {
      initialData: initial,
      staleTime: 0,
      refetchInterval: (query) => {
        const status = query.state.data?.status;
        if (status && !isExportBuilding(status)) {
          void utils.exports.list.invalidate();
          return false;
        }
        return POLL_MS;
      },
    },
  );
  const state = live.data;
  const percent = state.total ? Math.min(100, Math.floor((state.done / state.total) * 100)) : 0;
  const label = `${FORMATS[state.format].label}: ${
    state.total === null ? 'waiting to start' : `${formatCount(state.done)} of ${formatCount(state.total)} concerts`
  }`;
  return (
    <>
      <ExportTitle state={state} />
      <div
        className="history-exports__progress"
        role="progressbar"
        aria-label={`${FORMATS[state.format].label} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={label}
      >
        <div className="history-exports__bar" style={{ width: `${percent}%` }} />
      </div>
      <p className="history-exports__meta" data-testid="history-export-progress">
        {label}
      </p>
    </>
  );
}

function ExportSummary({ state }: { state: ExportState }) {
  return (
    <>
      <ExportTitle state={state} />
      {state.status === 'completed' && state.url ? (
        <p className="history-exports__meta">
          <a className="button button--secondary" href={state.url} download={state.fileName} data-testid="history-export-download">
            Download {state.fileName}
          </a>{' '}
          {formatBytes(state.byteSize)}
          {state.expiresAt && <> · kept until {formatDateTime(state.expiresAt)}</>}
        </p>
      ) : state.status === 'failed' ? (
        <p className="history-exports__error">{state.error}</p>
      ) : (
        <p className="history-exports__meta muted">Expired: build a new one if you need it.</p>
      )}
    </>
  );
}

function ExportTitle({ state }: { state: ExportState }) {
  return (
    <p className="history-exports__title">
      <span className="history-exports__format-label">{FORMATS[state.format].label}</span>{' '}
      <time className="muted" dateTime={state.createdAt.toISOString()}>
        {formatDateTime(state.createdAt)}
      </time>
    </p>
  );
}
