import { useEffect, useRef, useState } from 'react';
import { plural } from '../lib/format.js';
import { trpc, type RouterOutputs } from '../trpc.js';

export type DuplicateGroup = RouterOutputs['photos']['duplicates'][number];
export type DecidedGroup = RouterOutputs['duplicates']['decided'][number];

/** What was just decided, said on screen with a way to undo it. */
export interface Decision {
  groupId: number;
  text: string;
}

/**
 * The review of duplicate groups: the open ones, the decided ones, and the three decisions (keep one, keep all,
 * undo). After a decision the group leaves the list, what happened is said with an Undo, and focus goes to the
 * group now in its place.
 */
export function useDuplicateReview() {
  const groups = trpc.photos.duplicates.useQuery();
  const decided = trpc.duplicates.decided.useQuery();
  const utils = trpc.useUtils();
  const listRef = useRef<HTMLOListElement>(null);
  const emptyRef = useRef<HTMLHeadingElement>(null);
  const countRef = useRef<HTMLParagraphElement>(null);
  const [decision, setDecision] = useState<Decision | null>(null);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);

  /** Hidden or shown photos change every grid, strip and count they are in. */
  const refresh = () =>
    Promise.all([
      utils.photos.invalidate(),
      utils.duplicates.invalidate(),
      utils.concerts.invalidate(),
      utils.stats.invalidate(),
      utils.inbox.invalidate(),
    ]);

  const afterDecision = async (groupId: number, text: string) => {
    const index = Math.max(0, groups.data?.findIndex((g) => g.id === groupId) ?? 0);
    setDecision({ groupId, text });
    await refresh();
    setFocusIndex(index);
  };

  const resolve = trpc.photos.resolveDuplicates.useMutation({
    onSuccess: (_result, { groupId, keepPhotoId }) => {
      const group = groups.data?.find((g) => g.id === groupId);
      const kept = group?.photos.find((photo) => photo.id === keepPhotoId);
      const hidden = (group?.photos.length ?? 1) - 1;
      return afterDecision(groupId, `Kept ${kept?.fileName ?? 'the photo'}; ${plural(hidden, 'other photo')} hidden.`);
    },
  });
  const keepAll = trpc.duplicates.keepAll.useMutation({
    onSuccess: (_result, { groupId }) => {
      const group = groups.data?.find((g) => g.id === groupId);
      return afterDecision(groupId, `Kept all ${plural(group?.photos.length ?? 0, 'photo')}: not duplicates, and they stay in your history.`);
    },
  });
  const reopen = trpc.duplicates.reopen.useMutation({
    onSuccess: async () => {
      setDecision(null);
      await refresh();
    },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: the refreshed list (groups.data) is what focus waits for.
  useEffect(() => {
    if (focusIndex === null || groups.isFetching) return;
    const headings = listRef.current?.querySelectorAll<HTMLElement>('[data-group-heading]');
    const target = headings?.[Math.min(focusIndex, headings.length - 1)] ?? emptyRef.current ?? countRef.current;
    target?.focus();
    setFocusIndex(null);
  }, [focusIndex, groups.isFetching, groups.data]);

  const pending = resolve.isPending || keepAll.isPending || reopen.isPending;
  return { groups, decided, decision, resolve, keepAll, reopen, pending, listRef, emptyRef, countRef };
}
