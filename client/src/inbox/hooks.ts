import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { trpc, type RouterOutputs } from '../trpc.js';

export type InboxPhoto = RouterOutputs['photos']['list']['items'][number];

/** True once the element has come within `rootMargin` of the viewport (and stays true): what loads lazily waits for it. */
export function useInView<T extends Element>(rootMargin = '300px') {
  const ref = useRef<T>(null);
  const [inView, setInView] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || inView) return;
    if (typeof IntersectionObserver === 'undefined') {
      setInView(true);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setInView(true);
      },
      { rootMargin },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [inView, rootMargin]);
  return [ref, inView] as const;
}

const UNMATCHED_PAGE = 200;
/** Pages fetched on their own to find the groups' photos; past that, a photo shows as a blank tile. */
const MAX_UNMATCHED_PAGES = 5;
const UNMATCHED_INPUT = { unmatched: true as const, limit: UNMATCHED_PAGE };

/**
 * The user's unmatched photos by id, for the thumbnails of the inbox's photo groups.
 * photos.list pages by capture time while the groups come newest evening first, so
 * pages keep coming (up to a bound) until every wanted photo is known.
 */
export function useUnmatchedPhotos(wanted: readonly number[]) {
  const query = trpc.photos.list.useInfiniteQuery(
    // A variable, not a literal: the infinite-query input type keeps only the keys both input shapes share.
    UNMATCHED_INPUT,
    { enabled: wanted.length > 0, getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
  const byId = useMemo(() => {
    const map = new Map<number, InboxPhoto>();
    for (const page of query.data?.pages ?? []) for (const photo of page.items) map.set(photo.id, photo);
    return map;
  }, [query.data]);
  const missing = wanted.some((id) => !byId.has(id));
  const pages = query.data?.pages.length ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isError } = query;
  useEffect(() => {
    if (missing && hasNextPage && !isFetchingNextPage && !isError && pages < MAX_UNMATCHED_PAGES) void fetchNextPage();
  }, [missing, hasNextPage, isFetchingNextPage, isError, pages, fetchNextPage]);
  return { byId, isLoading: query.isLoading, error: query.error, refetch: query.refetch };
}

/** After a change in the inbox: everything that shows concerts or photos may have changed. */
export function useRefreshAfterChange() {
  const utils = trpc.useUtils();
  return useCallback(
    () => Promise.all([utils.inbox.invalidate(), utils.photos.list.invalidate(), utils.concerts.invalidate(), utils.stats.invalidate()]),
    [utils],
  );
}
