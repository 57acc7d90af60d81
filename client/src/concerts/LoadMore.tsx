import { useEffect, useRef } from 'react';
import { describeError } from '../lib/errors.js';
import { ErrorState } from '../ui/ErrorState.js';

interface LoadMoreProps {
  hasNextPage: boolean;
  fetching: boolean;
  error: unknown;
  onLoadMore: () => void;
  /** The button's label, e.g. "Load more concerts". */
  label: string;
  errorTitle: string;
  /** Said when everything is loaded (nothing when null). */
  endText?: string | null;
}

/**
 * Infinite scroll: the next page loads when the sentinel nears the viewport. The
 * button does the same for keyboards, screen readers and browsers without
 * IntersectionObserver; after a failure only the user's Retry asks again, so a
 * broken connection never turns into a loop of requests.
 */
export function LoadMore({ hasNextPage, fetching, error, onLoadMore, label, errorTitle, endText = null }: LoadMoreProps) {
  const sentinel = useRef<HTMLDivElement>(null);
  const onLoadMoreRef = useRef(onLoadMore);
  onLoadMoreRef.current = onLoadMore;

  useEffect(() => {
    const target = sentinel.current;
    if (!target || !hasNextPage || fetching || error || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) onLoadMoreRef.current();
      },
      { rootMargin: '0px 0px 600px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, fetching, error]);

  if (error) {
    return <ErrorState compact title={errorTitle} message={describeError(error).message} onRetry={onLoadMore} retrying={fetching} />;
  }
  if (!hasNextPage) return endText ? <p className="load-more__end muted">{endText}</p> : null;
  return (
    <div className="load-more">
      <div ref={sentinel} className="load-more__sentinel" aria-hidden="true" />
      {/* The label stays put while loading (stable for screen readers); the spinner is decorative. */}
      <button type="button" className="button button--secondary" onClick={onLoadMore} disabled={fetching} aria-busy={fetching}>
        {fetching && <span className="spinner spinner--small" aria-hidden="true" />}
        {label}
      </button>
    </div>
  );
}
