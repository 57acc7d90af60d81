import { useEffect, useMemo, useRef, useState } from 'react';
import { trpc, type RouterOutputs } from '../trpc.js';
import { useRefreshAfterChange, useUnmatchedPhotos } from './hooks.js';
import type { UnmatchedGroup } from './UnmatchedGroup.js';
import type { Resolved } from './useChoosing.js';

/** What inbox.list is asked for: the newest events and photo groups. */
export const INBOX_LIMIT = 30;
const LIST_INPUT = { limit: INBOX_LIMIT };

export type InboxList = RouterOutputs['inbox']['list'];
export type InboxEvent = InboxList['events'][number];

interface Announcement {
  text: string;
  concertId: number | null;
}

export const eventKey = (event: Pick<InboxEvent, 'id'>) => `concert:${event.id}`;

/** Groups have no id of their own: evening and place name them, a counter tells apart two of one place. */
function keyedGroups(groups: readonly UnmatchedGroup[]) {
  const seen = new Map<string, number>();
  return groups.map((group) => {
    const base = `photos:${group.evening ?? 'undated'}:${group.place?.city ?? ''}:${group.place?.countryCode ?? ''}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { key: `${base}:${n}`, group };
  });
}

function itemKeys(list: InboxList | undefined): string[] {
  if (!list) return [];
  return [...list.events.map(eventKey), ...keyedGroups(list.unmatched.groups).map((item) => item.key)];
}

/** The list without one item: what the user sees the moment it is settled, before the refresh confirms it. */
function withoutItem(list: InboxList, key: string): InboxList {
  const groups = keyedGroups(list.unmatched.groups);
  const gone = groups.find((item) => item.key === key)?.group;
  return {
    events: list.events.filter((event) => eventKey(event) !== key),
    unmatched: {
      total: list.unmatched.total - (gone?.photoCount ?? 0),
      groups: groups.filter((item) => item.key !== key).map((item) => item.group),
    },
  };
}

/**
 * The inbox's data and what follows a settled item: the item leaves the list at once (the refresh confirms
 * it), the result is announced, and focus moves on to the item now in its place.
 */
export function useInboxList() {
  const inbox = trpc.inbox.list.useQuery(LIST_INPUT);
  const utils = trpc.useUtils();
  const refresh = useRefreshAfterChange();
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const listsRef = useRef<HTMLDivElement>(null);
  const emptyRef = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLParagraphElement>(null);

  const groups = useMemo(() => keyedGroups(inbox.data?.unmatched.groups ?? []), [inbox.data]);
  const wantedPhotoIds = useMemo(() => groups.flatMap((item) => item.group.photoIds), [groups]);
  const unmatchedPhotos = useUnmatchedPhotos(wantedPhotoIds);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the refreshed list (inbox.data) is what focus waits for.
  useEffect(() => {
    if (focusIndex === null || inbox.isFetching) return;
    const headings = listsRef.current?.querySelectorAll<HTMLElement>('[data-item-heading]');
    const target = headings?.length ? headings[Math.min(focusIndex, headings.length - 1)] : (emptyRef.current ?? summaryRef.current);
    target?.focus();
    setFocusIndex(null);
  }, [focusIndex, inbox.isFetching, inbox.data]);

  /** After an item was settled or changed: refresh, say what happened, and move focus on when the item left. */
  async function afterChange(key: string, text: string, concertId: number, { settled }: { settled: boolean }) {
    const index = itemKeys(utils.inbox.list.getData(LIST_INPUT)).indexOf(key);
    if (settled) utils.inbox.list.setData(LIST_INPUT, (list) => list && withoutItem(list, key));
    await refresh();
    const list = utils.inbox.list.getData(LIST_INPUT);
    const waiting = list?.events.some((event) => event.id === concertId) ?? false;
    setAnnouncement({ text: waiting ? `${text} The concert still needs its artist, so it stays in the list.` : text, concertId });
    if (!itemKeys(list).includes(key)) setFocusIndex(Math.max(0, index));
  }

  const onResolved = (key: string) => (resolved: Resolved) =>
    // A venue alone may leave the concert waiting for its artist; a setlist or a concert settles it.
    afterChange(key, resolved.message, resolved.concertId, { settled: !('venueId' in resolved.choice) });

  return { inbox, groups, unmatchedPhotos, announcement, onResolved, afterChange, listsRef, emptyRef, summaryRef };
}
