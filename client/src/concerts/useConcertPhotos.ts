import { useEffect, useMemo, useRef, useState } from 'react';
import type { RouterOutputs } from '../trpc.js';
import { trpc } from '../trpc.js';

export type ConcertPhoto = RouterOutputs['photos']['list']['items'][number];

export const PHOTO_PAGE_SIZE = 60;

/**
 * After a star, the worker renders the photo's variants in the background. The
 * list is asked again after each of these pauses until they are there, then
 * stops; past the last one they simply appear on the next visit.
 */
const VARIANT_CHECK_DELAYS_MS = [800, 1_200, 2_000, 3_000, 4_000, 6_000, 8_000];

interface AwaitedVariants {
  ids: ReadonlySet<number>;
  attempt: number;
}
const NOTHING_AWAITED: AwaitedVariants = { ids: new Set(), attempt: 0 };

/** A concert's photos, a page at a time, with starring (optimistic) and the wait for a starred photo's variants. */
export function useConcertPhotos(concertId: number) {
  const utils = trpc.useUtils();
  const input = useMemo(() => ({ concertId, limit: PHOTO_PAGE_SIZE }), [concertId]);
  const query = trpc.photos.list.useInfiniteQuery(input, { getNextPageParam: (page) => page.nextCursor ?? undefined });
  const photos = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const [awaited, setAwaited] = useState<AwaitedVariants>(NOTHING_AWAITED);
  const refetch = useRef(query.refetch);
  refetch.current = query.refetch;

  const star = trpc.photos.star.useMutation({
    onMutate: async ({ id, starred }) => {
      // An answer already on its way would put the old state back over the optimistic one.
      await utils.photos.list.cancel(input);
      const previous = utils.photos.list.getInfiniteData(input);
      utils.photos.list.setInfiniteData(
        input,
        (data) =>
          data && {
            ...data,
            pages: data.pages.map((page) => ({
              ...page,
              items: page.items.map((photo) => (photo.id === id ? { ...photo, starred } : photo)),
            })),
          },
      );
      return { previous };
    },
    onError: (_error, _variables, context) => {
      if (context?.previous) utils.photos.list.setInfiniteData(input, context.previous);
    },
    onSuccess: (_result, { id, starred }) => {
      if (starred) setAwaited((current) => ({ ids: new Set([...current.ids, id]), attempt: 0 }));
    },
    onSettled: () => {
      void utils.photos.list.invalidate(input);
      // Timeline strips show starred photos first.
      void utils.concerts.list.invalidate();
    },
  });

  useEffect(() => {
    if (!awaited.ids.size) return;
    const waiting = [...awaited.ids].filter((id) => {
      const photo = photos.find((candidate) => candidate.id === id);
      return photo?.starred === true && photo.variants.length === 0;
    });
    if (!waiting.length || awaited.attempt >= VARIANT_CHECK_DELAYS_MS.length) {
      setAwaited(NOTHING_AWAITED);
      return;
    }
    if (waiting.length !== awaited.ids.size) {
      setAwaited({ ids: new Set(waiting), attempt: awaited.attempt });
      return;
    }
    const timer = window.setTimeout(() => {
      setAwaited((current) => ({ ...current, attempt: current.attempt + 1 }));
      void refetch.current();
    }, VARIANT_CHECK_DELAYS_MS[awaited.attempt]);
    return () => window.clearTimeout(timer);
  }, [awaited, photos]);

  return { query, photos, star, awaitingVariants: awaited.ids };
}
