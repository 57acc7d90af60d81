import { exportPath } from '../../../shared/export.js';
import { describeError } from '../lib/errors.js';
import { formatDateTime, plural } from '../lib/format.js';
import { hrefOf } from '../shell/route.js';
import { trpc, type RouterOutputs, type User } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';
import { ViewHeading } from '../ui/ViewHeading.js';
import { AccountProfile } from './AccountProfile.js';
import { ChangePassword } from './ChangePassword.js';
import { DeleteAccount } from './DeleteAccount.js';
import { HomeCity } from './HomeCity.js';
import { MailPreferences } from './MailPreferences.js';
import { HistoryExports } from './HistoryExports.js';
import './settings.css';

type Source = RouterOutputs['sources']['list'][number];

const KIND_LABELS: Record<Source['kind'], { one: string; many: string }> = {
  gdrive: { one: 'Google Drive account', many: 'Google Drive accounts' },
  local: { one: 'server folder', many: 'server folders' },
  upload: { one: 'upload library', many: 'upload libraries' },
};

/** Settings: the account, its photo libraries, exporting the history, and deleting it all. */
export function SettingsView({ user }: { user: User }) {
  return (
    <>
      <ViewHeading title="Settings">Settings</ViewHeading>

      <AccountProfile key={user.id} user={user} />

      <ChangePassword />
      <HomeCity />
      <ConnectedSources />
      <MailPreferences />
      <ExportHistory />
      <HistoryExports />
      <DeleteAccount />
    </>
  );
}

function ConnectedSources() {
  // Asked again on every visit: the libraries may have changed elsewhere (another tab, a scan that just ended).
  const sources = trpc.sources.list.useQuery(undefined, { refetchOnMount: 'always' });
  let content;
  if (sources.data) {
    content =
      sources.data.length === 0 ? (
        <p className="muted">No photo libraries yet: your history is built from the photos you add.</p>
      ) : (
        <>
          <p>{summarize(sources.data)}</p>
          <ul className="settings-sources">
            {sources.data.map((source) => (
              <li key={source.id} className="settings-sources__item" data-kind={source.kind}>
                <span className="settings-sources__label">{source.label}</span>
                <span className="settings-sources__meta">
                  {source.lastScanAt ? (
                    <>
                      Last scanned <time dateTime={source.lastScanAt.toISOString()}>{formatDateTime(source.lastScanAt)}</time>
                    </>
                  ) : (
                    'Never scanned'
                  )}
                </span>
              </li>
            ))}
          </ul>
        </>
      );
  } else if (sources.error) {
    content = (
      <ErrorState
        compact
        title="Couldn't load your photo libraries"
        message={describeError(sources.error).message}
        onRetry={() => void sources.refetch()}
        retrying={sources.isFetching}
      />
    );
  } else {
    content = <Loading inline label="Loading your photo libraries…" />;
  }

  return (
    <section className="card settings-section" aria-labelledby="settings-sources">
      <h2 className="card__title" id="settings-sources">
        Photo libraries
      </h2>
      {content}
      <p>
        <a className="button button--secondary" href={hrefOf({ view: 'library', scanId: null })}>
          {sources.data?.length ? 'Manage photo libraries' : 'Add photos'}
        </a>
      </p>
      <p className="muted settings-note">Connect Google Drive, add a server folder or upload photos in the Photos library.</p>
    </section>
  );
}

function summarize(sources: readonly Source[]): string {
  const kinds = (Object.keys(KIND_LABELS) as Array<Source['kind']>)
    .map((kind) => ({ kind, n: sources.filter((source) => source.kind === kind).length }))
    .filter(({ n }) => n > 0)
    .map(({ kind, n }) => plural(n, KIND_LABELS[kind].one, KIND_LABELS[kind].many));
  return `${plural(sources.length, 'library', 'libraries')} connected: ${kinds.join(', ')}.`;
}

function ExportHistory() {
  return (
    <section className="card settings-section" aria-labelledby="settings-export">
      <h2 className="card__title" id="settings-export">
        Export your history
      </h2>
      <p className="muted">
        Every concert, oldest first: date, artist, venue, city, tour, supporting acts, setlist, how many photos and stars, and your notes. CSV opens
        in any spreadsheet; JSON is for programs.
      </p>
      <div className="settings-actions">
        {/* Plain links: the browser sends the session cookie and saves what the server streams. */}
        <a className="button button--primary" href={exportPath('csv')} download data-testid="export-csv">
          <DownloadIcon />
          Download CSV
        </a>
        <a className="button button--secondary" href={exportPath('json')} download data-testid="export-json">
          <DownloadIcon />
          Download JSON
        </a>
      </div>
    </section>
  );
}

function DownloadIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      width="18"
      height="18"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M12 4v12M7 11l5 5 5-5M4 20h16" />
    </svg>
  );
}
