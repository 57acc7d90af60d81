import { useEffect, useRef, useState } from 'react';
import { hashQuery, replaceHash, useHash, withHashParam } from '../shell/route.js';

/** Marks the history entry that opening the lightbox added, so closing it goes Back to the page under it. */
const OPENED_HERE = 'lightbox';

/**
 * The photo shown full screen, kept in the address (`#/concerts/42?photo=7`): opening it adds a history entry,
 * so the browser's Back closes the lightbox instead of leaving the concert; moving between photos replaces
 * that entry (Back does not step through every photo seen); a reload or a shared link opens the same photo.
 * When it closes, focus goes back to the tile of the photo last shown.
 */
export function usePhotoInAddress(focusTile: (photoId: number) => void) {
  const value = hashQuery(useHash()).get('photo');
  const openPhotoId = value && /^\d+$/.test(value) ? Number(value) : null;

  const lastOpen = useRef<number | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the open photo changes; focusTile is read then.
  useEffect(() => {
    if (openPhotoId !== null) {
      lastOpen.current = openPhotoId;
      return;
    }
    const id = lastOpen.current;
    lastOpen.current = null;
    if (id !== null) window.requestAnimationFrame(() => focusTile(id));
  }, [openPhotoId]);

  const open = (photoId: number) => {
    window.location.hash = withHashParam(window.location.hash, 'photo', String(photoId));
    window.history.replaceState({ ...((window.history.state as object | null) ?? {}), [OPENED_HERE]: true }, '');
  };
  const show = (photoId: number) => replaceHash(withHashParam(window.location.hash, 'photo', String(photoId)));
  const close = () => {
    if ((window.history.state as Record<string, unknown> | null)?.[OPENED_HERE]) window.history.back();
    else replaceHash(withHashParam(window.location.hash, 'photo', null));
  };
  return { openPhotoId, open, show, close };
}

interface PagedQuery {
  fetchNextPage: () => Promise<unknown>;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
}

/** "Next" on the last loaded photo: the next page is asked for, and `onArrived` gets its first photo once it is here. */
export function useStepIntoNextPage<T>(query: PagedQuery, items: readonly T[], onArrived: (item: T) => void) {
  const [waitingFor, setWaitingFor] = useState<number | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: onArrived is the caller's latest; the page's arrival is what triggers it.
  useEffect(() => {
    if (waitingFor === null) return;
    const next = items[waitingFor];
    if (next) {
      setWaitingFor(null);
      onArrived(next);
    } else if (query.isFetchNextPageError || (!query.isFetchingNextPage && !query.hasNextPage)) {
      setWaitingFor(null);
    }
  }, [waitingFor, items, query.isFetchNextPageError, query.isFetchingNextPage, query.hasNextPage]);
  return () => {
    setWaitingFor(items.length);
    void query.fetchNextPage();
  };
}
