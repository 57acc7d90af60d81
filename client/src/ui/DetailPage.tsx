import type { ReactNode } from 'react';
import { describeError, errorCode } from '../lib/errors.js';
import { ErrorState } from './ErrorState.js';
import { Loading } from './Loading.js';
import { ViewHeading } from './ViewHeading.js';
import './detail-page.css';

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

/** Where a page's "←" link leads back to. */
export interface Back {
  href: string;
  label: string;
}

/** What the page says when the id names nothing the user can see. */
interface NotFound {
  title: string;
  text: string;
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
  /** "concert": the heading, messages and test ids name it. */
  noun: string;
  back: Back;
  notFound: NotFound;
  children: (data: T, refresh: Refresh) => ReactNode;
}) {
  const onRetry = () => void query.refetch();
  const title = capitalised(noun);
  if (errorCode(query.error) === 'NOT_FOUND') {
    return (
      <>
        <BackLink {...back} />
        <ViewHeading title={`${title} not found`}>{title} not found</ViewHeading>
        <div className="empty-state" data-testid={`${noun}-not-found`}>
          <p className="empty-state__title">{notFound.title}</p>
          <p className="empty-state__text">{notFound.text}</p>
          <a className="button button--primary" href="#/">
            See all your concerts
          </a>
        </div>
      </>
    );
  }
  if (query.data !== undefined) return children(query.data, { refreshError: query.error, onRetry, retrying: query.isFetching });
  if (query.error) {
    return (
      <>
        <BackLink {...back} />
        <ViewHeading title={title}>{title}</ViewHeading>
        <ErrorState title={`Couldn't load this ${noun}`} message={describeError(query.error).message} onRetry={onRetry} retrying={query.isFetching} />
      </>
    );
  }
  return (
    <>
      <BackLink {...back} />
      <Loading inline label={`Loading the ${noun}…`} />
    </>
  );
}

export function BackLink({ href, label }: Back) {
  return (
    <a className="back-link" href={href}>
      <span aria-hidden="true">←</span>
      {label}
    </a>
  );
}

/** The shown page stays; a failed refresh of it is said above its content. */
export function RefreshFailed({ noun, refresh }: { noun: string; refresh: Refresh }) {
  if (!refresh.refreshError) return null;
  return (
    <ErrorState
      compact
      title={`Couldn't refresh this ${noun}`}
      message={describeError(refresh.refreshError).message}
      onRetry={refresh.onRetry}
      retrying={refresh.retrying}
    />
  );
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
