import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { describeError } from '../lib/errors.js';
import { procedurePath, trpc, type User } from '../trpc.js';
import { ErrorBoundary } from '../ui/ErrorBoundary.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';
import { Logo } from '../ui/Logo.js';
import { ViewHeading } from '../ui/ViewHeading.js';
import { hrefOf, useRoute, type Route, type View } from './route.js';

// Each view is its own chunk, fetched when first opened (or when its link is hovered or focused).
const loadTimelineView = () => import('../concerts/TimelineView.js');
const loadConcertPage = () => import('../concerts/ConcertPage.js');
const loadInboxView = () => import('../inbox/InboxView.js');
const loadStatsView = () => import('../stats/StatsView.js');
const loadVenuePage = () => import('../venues/VenuePage.js');
const loadFestivalPage = () => import('../festivals/FestivalPage.js');
const loadLibraryView = () => import('../library/LibraryView.js');
const loadDuplicatesView = () => import('../duplicates/DuplicatesView.js');
const loadSettingsView = () => import('../settings/SettingsView.js');
const TimelineView = lazy(() => loadTimelineView().then((m) => ({ default: m.TimelineView })));
const ConcertPage = lazy(() => loadConcertPage().then((m) => ({ default: m.ConcertPage })));
const InboxView = lazy(() => loadInboxView().then((m) => ({ default: m.InboxView })));
const StatsView = lazy(() => loadStatsView().then((m) => ({ default: m.StatsView })));
const VenuePage = lazy(() => loadVenuePage().then((m) => ({ default: m.VenuePage })));
const FestivalPage = lazy(() => loadFestivalPage().then((m) => ({ default: m.FestivalPage })));
const LibraryView = lazy(() => loadLibraryView().then((m) => ({ default: m.LibraryView })));
const DuplicatesView = lazy(() => loadDuplicatesView().then((m) => ({ default: m.DuplicatesView })));
const SettingsView = lazy(() => loadSettingsView().then((m) => ({ default: m.SettingsView })));

interface NavItem {
  route: Route;
  label: string;
  /** On the phone's tab bar, where room is short. */
  short?: string;
  icon: IconName;
  preload: () => Promise<unknown>;
  also?: View[];
}

const NAV: readonly NavItem[] = [
  { route: { view: 'concerts' }, label: 'Concerts', icon: 'concerts', preload: loadTimelineView, also: ['concert', 'festival'] },
  { route: { view: 'inbox' }, label: 'Review', icon: 'review', preload: loadInboxView },
  { route: { view: 'stats' }, label: 'Stats', icon: 'stats', preload: loadStatsView, also: ['venue'] },
  { route: { view: 'library', scanId: null }, label: 'Photos library', short: 'Library', icon: 'library', preload: loadLibraryView },
  { route: { view: 'duplicates' }, label: 'Duplicates', icon: 'duplicates', preload: loadDuplicatesView },
  { route: { view: 'settings' }, label: 'Settings', icon: 'settings', preload: loadSettingsView },
];
/** A phone's tab bar holds the first four; the others are under "More". */
const TABS = 4;

const isCurrent = (item: NavItem, route: Route) => route.view === item.route.view || !!item.also?.includes(route.view);
const preload = (item: NavItem) => void item.preload().catch(() => {});

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
        {/* Wide screens: every destination in one row under the header. */}
        <nav className="shell-nav" aria-label="Main">
          <ul className="shell-nav__list">
            {NAV.map((item) => (
              <li key={item.route.view}>
                <a
                  className="shell-nav__link"
                  href={hrefOf(item.route)}
                  aria-current={isCurrent(item, route) ? 'page' : undefined}
                  onPointerEnter={() => preload(item)}
                  onFocus={() => preload(item)}
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      {/* Phones: a tab bar at the bottom, in reach of the thumb; the rest under More. */}
      <PhoneTabs route={route} />

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
        <ErrorBoundary inline key={`${route.view}:${hrefOf(route)}`}>
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
    case 'venue':
      return <VenuePage venueId={route.venueId} />;
    case 'festival':
      return <FestivalPage festivalId={route.festivalId} />;
    case 'library':
      return <LibraryView scanId={route.scanId} />;
    case 'duplicates':
      return <DuplicatesView />;
    case 'settings':
      return <SettingsView user={user} />;
    case 'notFound':
      return <NotFound />;
  }
}

function NotFound() {
  return (
    <>
      <ViewHeading title="Page not found">Page not found</ViewHeading>
      <div className="empty-state" data-testid="not-found">
        <p className="empty-state__title">There is nothing at this address</p>
        <p className="empty-state__text">The link may be mistyped, or what it pointed to is gone.</p>
        <a className="button button--primary" href={hrefOf({ view: 'concerts' })}>
          Go to your concerts
        </a>
      </div>
    </>
  );
}

function PhoneTabs({ route }: { route: Route }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const more = NAV.slice(TABS);
  const inMore = more.find((item) => isCurrent(item, route));

  // Following a link (or Back) closes the menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: route.view is the trigger, not an input: the menu closes whenever the view changes.
  useEffect(() => setOpen(false), [route.view]);
  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('a')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <nav className="shell-tabs" aria-label="Main">
      {open && (
        <ul className="shell-tabs__menu" id={menuId} ref={menuRef}>
          {more.map((item) => (
            <li key={item.route.view}>
              <a
                className="shell-tabs__menu-link"
                href={hrefOf(item.route)}
                aria-current={isCurrent(item, route) ? 'page' : undefined}
                onClick={() => setOpen(false)}
              >
                <NavIcon name={item.icon} />
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      )}
      <ul className="shell-tabs__list">
        {NAV.slice(0, TABS).map((item) => (
          <li key={item.route.view}>
            <a
              className="shell-tabs__tab"
              href={hrefOf(item.route)}
              aria-current={isCurrent(item, route) ? 'page' : undefined}
              onFocus={() => preload(item)}
            >
              <NavIcon name={item.icon} />
              <span>{item.short ?? item.label}</span>
            </a>
          </li>
        ))}
        <li>
          <button
            ref={buttonRef}
            type="button"
            className="shell-tabs__tab"
            aria-expanded={open}
            aria-controls={menuId}
            aria-current={inMore ? 'page' : undefined}
            onClick={() => {
              for (const item of more) preload(item);
              setOpen((value) => !value);
            }}
          >
            <NavIcon name={inMore?.icon ?? 'more'} />
            {/* Where you are when it is under More; "More" otherwise. */}
            <span>{inMore ? inMore.label : 'More'}</span>
            {inMore && <span className="visually-hidden">, more pages</span>}
          </button>
        </li>
      </ul>
    </nav>
  );
}

type IconName = 'concerts' | 'review' | 'stats' | 'library' | 'duplicates' | 'settings' | 'more';

const ICON_PATHS: Record<IconName, string> = {
  concerts: 'M9 18V5l12-2v13M9 18a3 3 0 1 1-6 0 3 3 0 0 1 6 0Zm12-2a3 3 0 1 1-6 0 3 3 0 0 1 6 0Z',
  review: 'M4 4h16v12H7l-3 3V4Zm4 5h8M8 12h5',
  stats: 'M4 20V10m6 10V4m6 16v-7m4 7H2',
  library: 'M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7Z',
  duplicates: 'M8 8h12v12H8zM4 16V4h12',
  settings:
    'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm7.4-3a7.4 7.4 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7 7 0 0 0-2-1.2L14.5 3h-4l-.4 2.6a7 7 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7 7 0 0 0 2 1.2l.4 2.6h4l.4-2.6a7 7 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2Z',
  more: 'M5 12h.01M12 12h.01M19 12h.01',
};

function NavIcon({ name }: { name: IconName }) {
  return (
    <svg className="shell-tabs__icon" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
      <path
        d={ICON_PATHS[name]}
        fill="none"
        stroke="currentColor"
        strokeWidth={name === 'more' ? 3.5 : 1.8}
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!] : parts;
  return letters.map((part) => Array.from(part)[0]!.toUpperCase()).join('') || '?';
}
