import { useEffect, useRef } from 'react';

/** Written into the history entry the view is on, so Back to that entry finds it there. */
const STATE_KEY = 'scrollY';
const SAVE_EVERY_MS = 250;

const savedY = (): number | null => {
  const value = (window.history.state as Record<string, unknown> | null)?.[STATE_KEY];
  return typeof value === 'number' && value > 0 ? value : null;
};

function save() {
  const state = (window.history.state as Record<string, unknown> | null) ?? {};
  if (state[STATE_KEY] === window.scrollY) return;
  window.history.replaceState({ ...state, [STATE_KEY]: window.scrollY }, '');
}

/**
 * A long, lazily loaded view (the timeline) scrolled back to where the user left it when they come Back to it.
 * The browser's own restoration runs before the view has re-rendered, so it lands at the top: the position
 * is kept in the history entry as the user scrolls, and restored once `ready` (the content is on screen);
 * while the page is still too short, `loadMore` brings the next page, as scrolling there would have.
 */
export function useScrollRestore({ ready, canLoadMore, loadMore }: { ready: boolean; canLoadMore: boolean; loadMore: () => void }) {
  const pending = useRef<number | null>(savedY());

  useEffect(() => {
    window.history.scrollRestoration = 'manual';
    let timer: number | undefined;
    const onScroll = () => {
      if (timer !== undefined) return;
      timer = window.setTimeout(() => {
        timer = undefined;
        if (pending.current === null) save();
      }, SAVE_EVERY_MS);
    };
    // A link followed from here is followed after this: the entry keeps the position it was left at.
    const onLeave = () => {
      if (pending.current === null) save();
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    document.addEventListener('click', onLeave, true);
    window.addEventListener('pagehide', onLeave);
    return () => {
      window.clearTimeout(timer);
      window.removeEventListener('scroll', onScroll);
      document.removeEventListener('click', onLeave, true);
      window.removeEventListener('pagehide', onLeave);
      window.history.scrollRestoration = 'auto';
    };
  }, []);

  useEffect(() => {
    const target = pending.current;
    if (target === null || !ready) return;
    window.scrollTo(0, target);
    const reachable = document.documentElement.scrollHeight - window.innerHeight;
    if (reachable >= target - 2) pending.current = null;
    else if (canLoadMore) loadMore();
    else pending.current = null;
  });
}
