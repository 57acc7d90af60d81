import { useSyncExternalStore } from 'react';

/**
 * Hash routes, so a reload or a shared link lands on the same view and no server
 * route is needed:  #/ (timeline)  #/concerts/42  #/inbox  #/duplicates  #/stats
 * #/library  #/library/scans/42  #/settings
 */
export type Route =
  | { view: 'concerts' }
  | { view: 'concert'; concertId: number }
  | { view: 'inbox' }
  | { view: 'duplicates' }
  | { view: 'stats' }
  | { view: 'library'; scanId: number | null }
  | { view: 'settings' };

export type View = Route['view'];

function positiveId(text: string | undefined): number | null {
  const id = Number(text);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split(/[/?]/).filter(Boolean);
  switch (parts[0]) {
    case 'concerts': {
      const concertId = positiveId(parts[1]);
      return concertId ? { view: 'concert', concertId } : { view: 'concerts' };
    }
    case 'library':
      return { view: 'library', scanId: parts[1] === 'scans' ? positiveId(parts[2]) : null };
    case 'inbox':
    case 'duplicates':
    case 'stats':
    case 'settings':
      return { view: parts[0] };
    default:
      return { view: 'concerts' };
  }
}

export function hrefOf(route: Route): string {
  switch (route.view) {
    case 'concert':
      return `#/concerts/${route.concertId}`;
    case 'library':
      return route.scanId ? `#/library/scans/${route.scanId}` : '#/library';
    case 'concerts':
      return '#/';
    default:
      return `#/${route.view}`;
  }
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const getHash = () => window.location.hash;

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, getHash, () => '');
  return parseHash(hash);
}

export function navigate(route: Route, { replace = false } = {}) {
  const href = hrefOf(route);
  if (window.location.hash === href) return;
  if (replace) {
    window.history.replaceState(window.history.state, '', href);
    // replaceState fires no hashchange: tell the subscribers ourselves.
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = href;
  }
}
