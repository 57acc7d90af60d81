import type { ReactNode } from 'react';
import { describeError, errorCode } from '../lib/errors.js';
import { ErrorState } from './ErrorState.js';
import { Loading } from './Loading.js';
import { ViewHeading } from './ViewHeading.js';

/** What a page needs of its tRPC query. */
interface DetailQuery<T> {
  data: T | undefined;
  error: unknown;
  isFetching: boolean;
  refetch: () => unknown;
}

/** A refresh that failed while the page was shown: said over the page, with a retry. */
export interface Refresh {
  refreshError: unknown;
  onRetry: () => void;
  retrying: boolean;
}

/**
 * A page of one thing loaded by id (a concert, a venue, a festival), in the states
 * every such page has: not found (a missing id and another user's alike), the thing,
 * a failure to load it with a retry, or loading.
 */
export function DetailPage<T>({
  query,
  noun,
  back,
  notFound,
  children,
}: {
  query: DetailQuery<T>;
  /** "concert": the heading and messages name it. */
  noun: string;
  back: ReactNode;
  notFound: ReactNode;
  children: (data: T, refresh: Refresh) => ReactNode;
}) {
  const onRetry = () => void query.refetch();
  if (errorCode(query.error) === 'NOT_FOUND') return notFound;
  if (query.data !== undefined) return children(query.data, { refreshError: query.error, onRetry, retrying: query.isFetching });
  const title = noun.charAt(0).toUpperCase() + noun.slice(1);
  if (query.error) {
    return (
      <>
        {back}
        <ViewHeading title={title}>{title}</ViewHeading>
        <ErrorState title={`Couldn't load this ${noun}`} message={describeError(query.error).message} onRetry={onRetry} retrying={query.isFetching} />
      </>
    );
  }
  return (
    <>
      {back}
      <Loading inline label={`Loading the ${noun}…`} />
    </>
  );
}
