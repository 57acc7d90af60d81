import { useSyncExternalStore } from 'react';

/**
 * Hash routes, so a reload or a shared link lands on the same view and no server
 * route is needed:  #/ (concerts)  #/library  #/library/scans/42  #/duplicates
 */
export type Route =
  | { view: 'concerts' }
  | { view: 'library'; scanId: number | null }
  | { view: 'duplicates' };

export type View = Route['view'];

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split(/[/?]/).filter(Boolean);
  switch (parts[0]) {
    case 'library': {
      const id = parts[1] === 'scans' ? Number(parts[2]) : NaN;
      return { view: 'library', scanId: Number.isSafeInteger(id) && id > 0 ? id : null };
    }
    case 'duplicates':
      return { view: 'duplicates' };
    default:
      return { view: 'concerts' };
  }
}

export function hrefOf(route: Route): string {
  switch (route.view) {
    case 'library':
      return route.scanId ? `#/library/scans/${route.scanId}` : '#/library';
    case 'duplicates':
      return '#/duplicates';
    case 'concerts':
      return '#/';
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
