import { useId, useRef } from 'react';
import { describeError } from '../lib/errors.js';
import { formatCount, plural } from '../lib/format.js';
import { useScrollRestore } from '../lib/useScrollRestore.js';
import { ActiveScanBanner } from '../scans/ActiveScanBanner.js';
import { EmptyHistory } from '../shell/EmptyHistory.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';
import { ViewHeading } from '../ui/ViewHeading.js';
import { FestivalCard } from '../festivals/FestivalCard.js';
import { timelineEntries } from '../festivals/timeline-entries.js';
import { ConcertCard, type TimelineConcert } from './ConcertCard.js';
import { LoadMore } from './LoadMore.js';
import { TIMELINE_PAGE_SIZE, useTimeline, yearOptions } from './useTimeline.js';
import './concerts.css';

/** The user's concerts by year, newest first, loaded a page at a time as they scroll. */
export function TimelineView() {
  const { year, setYear, text, setText, q, years, list, items, groups, counts, filtered, searching, noConcerts } = useTimeline();
  const searchId = useId();
  const yearId = useId();
  const searchRef = useRef<HTMLInputElement>(null);
  // Back from a concert lands where the user was, not at the top.
  useScrollRestore({
    ready: list.data !== undefined && !list.isPlaceholderData,
    canLoadMore: list.hasNextPage && !list.isFetchingNextPage,
    loadMore: () => void list.fetchNextPage(),
  });

  const clearFilters = () => {
    setText('');
    setYear(null);
    searchRef.current?.focus();
  };

  const header = <ViewHeading title="Your concerts">Your concerts</ViewHeading>;

  if (noConcerts) {
    return (
      <>
        {header}
        <ActiveScanBanner waitingForFirstScan />
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
            endText={items.length > TIMELINE_PAGE_SIZE ? "That's all of them." : null}
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
      <ActiveScanBanner waitingForFirstScan={false} />
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is newer than the browsers the build targets (Vite's baseline-widely-available), where role="search" on the form is the landmark. */}
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
        {/* A festival's acts make one card. */}
        {timelineEntries(concerts).map((entry, index) =>
          entry.kind === 'festival' ? (
            <FestivalCard key={entry.key} festival={entry.festival} acts={entry.acts} eager={eager && index < 2} />
          ) : (
            <ConcertCard key={entry.key} concert={entry.concert} eager={eager && index < 2} />
          ),
        )}
      </ol>
    </section>
  );
}
