import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { describeError } from '../lib/errors.js';
import { procedurePath, trpc, type User } from '../trpc.js';
import { ErrorBoundary } from '../ui/ErrorBoundary.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';
import { Logo } from '../ui/Logo.js';
import { hrefOf, useRoute, type Route, type View } from './route.js';

// Each view is its own chunk, fetched when first opened (or when its link is hovered or focused).
const loadTimelineView = () => import('../concerts/TimelineView.js');
const loadConcertPage = () => import('../concerts/ConcertPage.js');
const loadInboxView = () => import('../inbox/InboxView.js');
const loadStatsView = () => import('../stats/StatsView.js');
const loadLibraryView = () => import('../library/LibraryView.js');
const loadDuplicatesView = () => import('../duplicates/DuplicatesView.js');
const loadSettingsView = () => import('../settings/SettingsView.js');
const TimelineView = lazy(() => loadTimelineView().then((m) => ({ default: m.TimelineView })));
const ConcertPage = lazy(() => loadConcertPage().then((m) => ({ default: m.ConcertPage })));
const InboxView = lazy(() => loadInboxView().then((m) => ({ default: m.InboxView })));
const StatsView = lazy(() => loadStatsView().then((m) => ({ default: m.StatsView })));
const LibraryView = lazy(() => loadLibraryView().then((m) => ({ default: m.LibraryView })));
const DuplicatesView = lazy(() => loadDuplicatesView().then((m) => ({ default: m.DuplicatesView })));
const SettingsView = lazy(() => loadSettingsView().then((m) => ({ default: m.SettingsView })));

const NAV: ReadonlyArray<{ route: Route; label: string; preload: () => Promise<unknown>; also?: View[] }> = [
  { route: { view: 'concerts' }, label: 'Concerts', preload: loadTimelineView, also: ['concert'] },
  { route: { view: 'inbox' }, label: 'Review', preload: loadInboxView },
  { route: { view: 'stats' }, label: 'Stats', preload: loadStatsView },
  { route: { view: 'library', scanId: null }, label: 'Photos library', preload: loadLibraryView },
  { route: { view: 'duplicates' }, label: 'Duplicates', preload: loadDuplicatesView },
  { route: { view: 'settings' }, label: 'Settings', preload: loadSettingsView },
];

export function AppShell({ user }: { user: User }) {
  const route = useRoute();
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const logout = trpc.auth.logout.useMutation({
    onSuccess: async () => {
      // Nothing of this user's may linger in the cache for whoever logs in next.
      queryClient.removeQueries({ predicate: (query) => procedurePath(query.queryKey) !== 'auth.me' });
      utils.auth.me.setData(undefined, null);
      // The next person to log in starts on the home view, not on this user's scan.
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
      await utils.auth.me.invalidate();
    },
  });

  return (
    <div className="shell">
      <header className="shell-header">
        <div className="shell-header__inner">
          <a className="shell-header__brand" href="#/">
            <Logo className="shell-header__logo" />
            Concert History
          </a>
          <div className="shell-header__user">
            <span className="avatar" aria-hidden="true">
              {initials(user.name)}
            </span>
            <span className="shell-header__name" data-testid="user-name" title={user.email}>
              {user.name}
            </span>
            <button
              type="button"
              className="button button--ghost"
              onClick={() => logout.mutate()}
              disabled={logout.isPending}
              aria-busy={logout.isPending}
            >
              Log out
            </button>
          </div>
        </div>
        <nav className="shell-nav" aria-label="Main">
          <ul className="shell-nav__list">
            {NAV.map((item) => (
              <li key={item.route.view}>
                <a
                  className="shell-nav__link"
                  href={hrefOf(item.route)}
                  aria-current={route.view === item.route.view || item.also?.includes(route.view) ? 'page' : undefined}
                  onPointerEnter={() => void item.preload?.().catch(() => {})}
                  onFocus={() => void item.preload?.().catch(() => {})}
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>

      <main className="shell-main">
        {logout.error && (
          <ErrorState
            compact
            focusRetry
            title="Couldn't log out"
            message={describeError(logout.error).message}
            onRetry={() => logout.mutate()}
            retrying={logout.isPending}
          />
        )}
        {/* Keyed by view: a failed chunk in one view doesn't stick to the others. */}
        <ErrorBoundary inline key={hrefOf(route)}>
          <Suspense fallback={<Loading inline />}>{renderView(route, user)}</Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}

function renderView(route: Route, user: User) {
  switch (route.view) {
    case 'concerts':
      return <TimelineView />;
    case 'concert':
      return <ConcertPage concertId={route.concertId} />;
    case 'inbox':
      return <InboxView />;
    case 'stats':
      return <StatsView />;
    case 'library':
      return <LibraryView scanId={route.scanId} />;
    case 'duplicates':
      return <DuplicatesView />;
    case 'settings':
      return <SettingsView user={user} />;
  }
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!] : parts;
  return letters.map((part) => Array.from(part)[0]!.toUpperCase()).join('') || '?';
}
