import { useSyncExternalStore } from 'react';

/**
 * Hash routes, so a reload or a shared link lands on the same view and no server
 * route is needed:  #/ (timeline)  #/concerts/42  #/concerts/42?photo=7 (its lightbox)
 * #/venues/7  #/festivals/3  #/inbox  #/duplicates  #/stats  #/library  #/library/scans/42  #/settings; an
 * address that names nothing is a not-found view, never the timeline in disguise.
 * A query after `?` carries a view's state (filters, an open photo, a message).
 */
export type Route =
  | { view: 'concerts' }
  | { view: 'concert'; concertId: number }
  | { view: 'venue'; venueId: number }
  | { view: 'festival'; festivalId: number }
  | { view: 'inbox' }
  | { view: 'duplicates' }
  | { view: 'stats' }
  | { view: 'library'; scanId: number | null }
  | { view: 'settings' }
  | { view: 'notFound' };

export type View = Route['view'];

function positiveId(text: string | undefined): number | null {
  if (!text || !/^\d+$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

const NOT_FOUND: Route = { view: 'notFound' };

/** The path part of a hash, as segments: `#/concerts/42?photo=7` → ['concerts', '42']. */
export function hashPath(hash: string): string[] {
  return (hash.replace(/^#/, '').split('?')[0] ?? '').split('/').filter(Boolean);
}

/** The query part of a hash: `#/?year=2014` → year=2014. */
export function hashQuery(hash: string = window.location.hash): URLSearchParams {
  const query = hash.indexOf('?');
  return new URLSearchParams(query < 0 ? '' : hash.slice(query + 1));
}

export function parseHash(hash: string): Route {
  const parts = hashPath(hash);
  const [first, second, third, ...rest] = parts;
  switch (first) {
    case undefined:
      return { view: 'concerts' };
    case 'concerts': {
      if (second === undefined) return { view: 'concerts' };
      const concertId = positiveId(second);
      return concertId && third === undefined ? { view: 'concert', concertId } : NOT_FOUND;
    }
    case 'venues': {
      const venueId = positiveId(second);
      return venueId && third === undefined ? { view: 'venue', venueId } : NOT_FOUND;
    }
    case 'festivals': {
      const festivalId = positiveId(second);
      return festivalId && third === undefined ? { view: 'festival', festivalId } : NOT_FOUND;
    }
    case 'library': {
      if (second === undefined) return { view: 'library', scanId: null };
      const scanId = second === 'scans' ? positiveId(third) : null;
      return scanId && rest.length === 0 ? { view: 'library', scanId } : NOT_FOUND;
    }
    case 'inbox':
    case 'duplicates':
    case 'stats':
    case 'settings':
      return second === undefined ? { view: first } : NOT_FOUND;
    // The log-in and sign-up pages' own addresses: once logged in, they lead home.
    case 'login':
    case 'signup':
      return { view: 'concerts' };
    default:
      return NOT_FOUND;
  }
}

export function hrefOf(route: Route): string {
  switch (route.view) {
    case 'concert':
      return `#/concerts/${route.concertId}`;
    case 'venue':
      return `#/venues/${route.venueId}`;
    case 'festival':
      return `#/festivals/${route.festivalId}`;
    case 'library':
      return route.scanId ? `#/library/scans/${route.scanId}` : '#/library';
    case 'concerts':
    case 'notFound':
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

/** The address's hash, re-rendering when it changes. */
export function useHash(): string {
  return useSyncExternalStore(subscribe, getHash, () => '');
}

export function useRoute(): Route {
  return parseHash(useHash());
}

/** Replaces the current address without a history entry, and tells the hash's subscribers (replaceState fires no hashchange). */
export function replaceHash(href: string) {
  if (window.location.hash === href) return;
  window.history.replaceState(window.history.state, '', href);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function navigate(route: Route, { replace = false } = {}) {
  const href = hrefOf(route);
  if (window.location.hash === href) return;
  if (replace) replaceHash(href);
  else window.location.hash = href;
}

/** The hash with one query parameter set (or removed with null), the path kept. */
export function withHashParam(hash: string, name: string, value: string | null): string {
  const query = hashQuery(hash);
  if (value === null) query.delete(name);
  else query.set(name, value);
  const path = hash.split('?')[0] || '#/';
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
