import { keepPreviousData } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { hashQuery } from '../shell/route.js';
import { trpc } from '../trpc.js';
import type { TimelineConcert } from './ConcertCard.js';
import { concertYear } from './format.js';
import { useDebouncedValue } from './useDebouncedValue.js';

export const TIMELINE_PAGE_SIZE = 20;

interface Filters {
  year: number | null;
  q: string;
}

/** The filters kept in the address (#/?year=2014&q=brixton), so Back from a concert returns to the same list. */
function readFilters(): Filters {
  const params = hashQuery();
  const year = Number(params.get('year'));
  return { year: Number.isInteger(year) && year >= 1900 && year <= 2100 ? year : null, q: params.get('q') ?? '' };
}

function writeFilters({ year, q }: Filters) {
  const params = new URLSearchParams();
  if (year !== null) params.set('year', String(year));
  if (q) params.set('q', q);
  const query = params.toString();
  const hash = query ? `#/?${query}` : '#/';
  const current = window.location.hash || '#/';
  // Only on the timeline itself: never rewrite the address of a view the user has since left.
  if (current === hash || !/^#\/?(\?|$)/.test(current)) return;
  window.history.replaceState(window.history.state, '', hash);
}

/** The timeline's data: the filters (in the address), the years, and the concerts a page at a time, grouped by year. */
export function useTimeline() {
  const initial = useMemo(readFilters, []);
  const [year, setYear] = useState<number | null>(initial.year);
  const [text, setText] = useState(initial.q);
  const q = useDebouncedValue(text.trim(), 300);

  const years = trpc.concerts.years.useQuery();
  const list = trpc.concerts.list.useInfiniteQuery(
    { limit: TIMELINE_PAGE_SIZE, ...(year !== null ? { year } : {}), ...(q ? { q } : {}) },
    {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      // While a new search runs, the last answer stays on screen instead of a spinner.
      placeholderData: keepPreviousData,
    },
  );

  useEffect(() => writeFilters({ year, q }), [year, q]);

  const items = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);
  const groups = useMemo(() => groupByYear(items), [items]);
  const counts = useMemo(() => new Map(years.data?.map((entry) => [entry.year, entry.count])), [years.data]);
  const filtered = year !== null || q !== '';
  const typing = text.trim() !== q;
  const searching = typing || (list.isPlaceholderData && list.isFetching);
  // No concerts at all (not merely none matching the filters): where the history starts.
  const noConcerts = years.data ? years.data.length === 0 : !filtered && list.data !== undefined && !list.isPlaceholderData && items.length === 0;

  return { year, setYear, text, setText, q, years, list, items, groups, counts, filtered, searching, noConcerts };
}

function groupByYear(items: TimelineConcert[]): Array<{ year: number; items: TimelineConcert[] }> {
  const groups: Array<{ year: number; items: TimelineConcert[] }> = [];
  for (const item of items) {
    const year = concertYear(item.concertDate) ?? 0;
    const last = groups.at(-1);
    if (last?.year === year) last.items.push(item);
    else groups.push({ year, items: [item] });
  }
  return groups;
}

/** The years to offer: those with concerts, and the one in the address even when it has none. */
export function yearOptions(years: Array<{ year: number; count: number }> | undefined, selected: number | null) {
  const options: Array<{ year: number; count: number | undefined }> = [...(years ?? [])];
  if (selected !== null && !options.some((entry) => entry.year === selected)) {
    options.push({ year: selected, count: years ? 0 : undefined });
    options.sort((a, b) => b.year - a.year);
  }
  return options;
}
