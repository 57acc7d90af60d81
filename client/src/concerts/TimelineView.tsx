import { keepPreviousData } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { describeError } from '../lib/errors.js';
import { formatCount, plural } from '../lib/format.js';
import { EmptyHistory } from '../shell/EmptyHistory.js';
import { trpc } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';
import { ViewHeading } from '../ui/ViewHeading.js';
import { ConcertCard, type TimelineConcert } from './ConcertCard.js';
import { concertYear } from './format.js';
import { LoadMore } from './LoadMore.js';
import { useDebouncedValue } from './useDebouncedValue.js';
import './concerts.css';

const PAGE_SIZE = 20;

interface Filters {
  year: number | null;
  q: string;
}

/** The filters kept in the address (#/?year=2014&q=brixton), so Back from a concert returns to the same list. */
function readFilters(): Filters {
  const query = window.location.hash.split('?')[1] ?? '';
  const params = new URLSearchParams(query);
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

/** The user's concerts by year, newest first, loaded a page at a time as they scroll. */
export function TimelineView() {
  const initial = useMemo(readFilters, []);
  const [year, setYear] = useState<number | null>(initial.year);
  const [text, setText] = useState(initial.q);
  const q = useDebouncedValue(text.trim(), 300);
  const searchId = useId();
  const yearId = useId();
  const searchRef = useRef<HTMLInputElement>(null);

  const years = trpc.concerts.years.useQuery();
  const list = trpc.concerts.list.useInfiniteQuery(
    { limit: PAGE_SIZE, ...(year !== null ? { year } : {}), ...(q ? { q } : {}) },
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

  const clearFilters = () => {
    setText('');
    setYear(null);
    searchRef.current?.focus();
  };

  const header = <ViewHeading title="Your concerts">Your concerts</ViewHeading>;

  // No concerts at all (not merely none matching the filters): where the history starts.
  const noConcerts = years.data
    ? years.data.length === 0
    : !filtered && list.data !== undefined && !list.isPlaceholderData && items.length === 0;
  if (noConcerts) {
    return (
      <>
        {header}
        <EmptyHistory />
      </>
    );
  }

  const total = years.data?.reduce((sum, entry) => sum + entry.count, 0);
  let summary = '';
  if (searching) summary = 'Searching…';
  else if (list.data && !list.isPlaceholderData) {
    const shown = `${formatCount(items.length)}${list.hasNextPage ? '+' : ''}`;
    const where = [q ? `matching “${q}”` : '', year !== null ? `in ${year}` : ''].filter(Boolean).join(' ');
    if (!filtered && total !== undefined) summary = `${plural(total, 'concert')} over ${plural(years.data?.length ?? 0, 'year')}`;
    else summary = `${shown} ${items.length === 1 && !list.hasNextPage ? 'concert' : 'concerts'}${where ? ` ${where}` : ''}`;
  }

  let content;
  if (list.data) {
    content =
      items.length === 0 ? (
        <div className="empty-state empty-state--small" data-testid="timeline-no-results">
          <h2 className="empty-state__title">No concerts found</h2>
          <p className="empty-state__text">
            {q ? `Nothing matches “${q}”` : 'No concerts'}
            {year !== null ? ` in ${year}` : ''}. Search looks in artist, venue and city names.
          </p>
          <button type="button" className="button button--secondary" onClick={clearFilters}>
            Clear search and filters
          </button>
        </div>
      ) : (
        <div className={searching ? 'timeline timeline--stale' : 'timeline'} aria-busy={searching}>
          {groups.map((group) => (
            <YearSection key={group.year} year={group.year} count={counts.get(group.year)} concerts={group.items} eager={group === groups[0]} />
          ))}
          <LoadMore
            hasNextPage={list.hasNextPage}
            fetching={list.isFetchingNextPage}
            error={list.isFetchNextPageError ? list.error : null}
            onLoadMore={() => void list.fetchNextPage()}
            label="Load more concerts"
            errorTitle="Couldn't load more concerts"
            endText={items.length > PAGE_SIZE ? "That's all of them." : null}
          />
        </div>
      );
  } else if (list.error) {
    content = (
      <ErrorState
        title="Couldn't load your concerts"
        message={describeError(list.error).message}
        onRetry={() => void list.refetch()}
        retrying={list.isFetching}
      />
    );
  } else {
    content = <Loading inline label="Loading your concerts…" />;
  }

  return (
    <>
      {header}
      <form className="timeline-filters" role="search" aria-label="Concerts" onSubmit={(event) => event.preventDefault()}>
        <div className="field timeline-filters__search">
          <label className="field__label" htmlFor={searchId}>
            Search
          </label>
          <input
            ref={searchRef}
            id={searchId}
            className="field__input"
            type="search"
            name="q"
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder="Artist, venue or city"
            autoComplete="off"
            maxLength={100}
          />
        </div>
        <div className="field timeline-filters__year">
          <label className="field__label" htmlFor={yearId}>
            Year
          </label>
          <select
            id={yearId}
            className="field__input"
            name="year"
            value={year ?? ''}
            onChange={(event) => setYear(event.target.value ? Number(event.target.value) : null)}
            disabled={!years.data && !years.error}
          >
            <option value="">All years</option>
            {yearOptions(years.data, year).map((entry) => (
              <option key={entry.year} value={entry.year}>
                {entry.count === undefined ? entry.year : `${entry.year} (${formatCount(entry.count)})`}
              </option>
            ))}
          </select>
        </div>
        {filtered && (
          <button type="button" className="button button--ghost timeline-filters__clear" onClick={clearFilters}>
            Clear
          </button>
        )}
      </form>
      {years.error && !years.data && (
        <ErrorState
          compact
          title="Couldn't load your years"
          message={describeError(years.error).message}
          onRetry={() => void years.refetch()}
          retrying={years.isFetching}
        />
      )}
      {list.data && list.error && !list.isFetchNextPageError && (
        <ErrorState
          compact
          title="Couldn't refresh your concerts"
          message={describeError(list.error).message}
          onRetry={() => void list.refetch()}
          retrying={list.isFetching}
        />
      )}
      <p className="timeline-summary muted" role="status" aria-live="polite" data-testid="timeline-summary">
        {summary}
      </p>
      {content}
    </>
  );
}

function YearSection({ year, count, concerts, eager }: { year: number; count: number | undefined; concerts: TimelineConcert[]; eager: boolean }) {
  const headingId = useId();
  return (
    <section className="timeline-year" aria-labelledby={headingId} data-testid="timeline-year" data-year={year}>
      <h2 className="timeline-year__title" id={headingId}>
        {year > 0 ? year : 'Date unknown'}
        {count !== undefined && <span className="timeline-year__count">{plural(count, 'concert')}</span>}
      </h2>
      <ol className="timeline-year__list">
        {concerts.map((concert, index) => (
          <ConcertCard key={concert.id} concert={concert} eager={eager && index < 2} />
        ))}
      </ol>
    </section>
  );
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
function yearOptions(years: Array<{ year: number; count: number }> | undefined, selected: number | null) {
  const options: Array<{ year: number; count: number | undefined }> = [...(years ?? [])];
  if (selected !== null && !options.some((entry) => entry.year === selected)) {
    options.push({ year: selected, count: years ? 0 : undefined });
    options.sort((a, b) => b.year - a.year);
  }
  return options;
}
