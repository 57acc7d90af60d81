import { useId, useMemo, useState } from 'react';
import { formatConcertDate, placeLine, UNKNOWN_ARTIST } from '../concerts/format.js';
import { describeError } from '../lib/errors.js';
import { FestivalClusters } from '../festivals/FestivalClusters.js';
import { plural } from '../lib/format.js';
import { hrefOf } from '../shell/route.js';
import { trpc } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';
import { ViewHeading } from '../ui/ViewHeading.js';
import { CandidatesPanel } from './Candidates.js';
import { ConcertStrip } from './PhotoStrip.js';
import { GroupItem } from './UnmatchedGroup.js';
import { useChoosing, type Resolved } from './useChoosing.js';
import { ItemToggle } from './ItemToggle.js';
import { eventKey, INBOX_LIMIT, useInboxList, type InboxEvent } from './useInboxList.js';
import './inbox.css';

/**
 * The review inbox: concerts the machine could not confirm and photos it could not
 * place, newest first. Each item opens onto its one-click candidates; a settled item
 * leaves the list, focus moves to the next one, and the result is announced.
 */
export function InboxView() {
  const { inbox, groups, unmatchedPhotos, announcement, onResolved, afterChange, listsRef, emptyRef, summaryRef } = useInboxList();
  // The same query as the festival section's own: how many festival photos wait for an act.
  const festivalPending = trpc.festivals.pending.useQuery({});
  const festivalPhotos =
    festivalPending.data?.reduce((sum, entry) => sum + entry.clusters.reduce((n, cluster) => n + cluster.photoIds.length, 0), 0) ?? 0;

  let content;
  if (inbox.data) {
    const { events, unmatched } = inbox.data;
    content =
      events.length === 0 && groups.length === 0 && festivalPhotos === 0 ? (
        <div className="empty-state">
          <h2 className="empty-state__title" ref={emptyRef} tabIndex={-1}>
            Nothing to review
          </h2>
          <p className="empty-state__text">
            Every concert is named and every photo has a home. Concerts or photos that a scan can't place on its own wait here.
          </p>
          <a className="button button--secondary" href={hrefOf({ view: 'concerts' })}>
            See your concerts
          </a>
        </div>
      ) : (
        <div className="inbox" ref={listsRef}>
          <p className="muted" ref={summaryRef} tabIndex={-1} data-testid="inbox-summary">
            {[
              events.length ? `${plural(events.length, 'concert')} to name` : null,
              unmatched.total ? `${plural(unmatched.total, 'photo')} in no concert` : null,
              festivalPhotos ? `${plural(festivalPhotos, 'festival photo')} to assign to an act` : null,
            ]
              .filter(Boolean)
              .join(' and ')}
            .{events.length >= INBOX_LIMIT && ` The ${INBOX_LIMIT} most recent concerts are shown; more appear as you settle these.`}
          </p>
          {events.length > 0 && (
            <section className="inbox-section" aria-labelledby="inbox-events-title">
              <h2 className="inbox-section__title" id="inbox-events-title">
                Concerts to review
              </h2>
              <ol className="inbox-list">
                {events.map((event) => (
                  <EventItem key={eventKey(event)} event={event} onResolved={onResolved(eventKey(event))} />
                ))}
              </ol>
            </section>
          )}
          <FestivalClusters title="Festival photos to assign" />
          {groups.length > 0 && (
            <section className="inbox-section" aria-labelledby="inbox-photos-title">
              <h2 className="inbox-section__title" id="inbox-photos-title">
                Photos in no concert
              </h2>
              <p className="muted">Grouped by evening and place. Place a whole group with one choice, or select some photos.</p>
              {unmatchedPhotos.error && (
                <ErrorState
                  compact
                  title="Couldn't load the photos' previews"
                  message={describeError(unmatchedPhotos.error).message}
                  onRetry={() => void unmatchedPhotos.refetch()}
                />
              )}
              <ol className="inbox-list">
                {groups.map(({ key, group }) => (
                  <GroupItem
                    key={key}
                    itemKey={key}
                    group={group}
                    photosById={unmatchedPhotos.byId}
                    onResolved={onResolved(key)}
                    onChanged={(text, concertId) => afterChange(key, text, concertId, { settled: false })}
                  />
                ))}
              </ol>
            </section>
          )}
        </div>
      );
  } else if (inbox.error) {
    content = (
      <ErrorState
        title="Couldn't load your inbox"
        message={describeError(inbox.error).message}
        onRetry={() => void inbox.refetch()}
        retrying={inbox.isFetching}
      />
    );
  } else {
    content = <Loading inline label="Loading your inbox…" />;
  }

  return (
    <>
      <ViewHeading title="Review">Review</ViewHeading>
      <p className="view-intro">
        What a scan couldn't settle on its own: concerts without a name and photos without a concert. Pick the right answer and the whole evening is
        sorted.
      </p>
      {inbox.data && inbox.error && (
        <ErrorState
          compact
          title="Couldn't refresh the inbox"
          message={describeError(inbox.error).message}
          onRetry={() => void inbox.refetch()}
          retrying={inbox.isFetching}
        />
      )}
      <div className="inbox-announcement" hidden={!announcement} data-testid="inbox-announcement">
        <p aria-hidden="true">{announcement?.text}</p>
        {announcement?.concertId && (
          <a className="inbox-announcement__link" href={hrefOf({ view: 'concert', concertId: announcement.concertId })}>
            Open the concert
          </a>
        )}
      </div>
      <p className="visually-hidden" role="status">
        {announcement?.text}
      </p>
      {content}
    </>
  );
}

function EventItem({ event, onResolved }: { event: InboxEvent; onResolved: (resolved: Resolved) => Promise<void> }) {
  const headingId = useId();
  const panelId = useId();
  const [expanded, setExpanded] = useState(false);
  const target = useMemo(() => ({ concertId: event.id }), [event.id]);
  const choosing = useChoosing(target, onResolved);
  const date = formatConcertDate(event.concertDate);
  const known = [event.artist?.name ?? `${UNKNOWN_ARTIST}`, event.venue?.name ?? 'Venue unknown', placeLine(event.city, event.countryCode)];

  return (
    <li className="card inbox-item" data-testid="inbox-event" data-concert-id={event.id} aria-labelledby={headingId}>
      <div className="inbox-item__top">
        <div className="inbox-item__text">
          <h3 className="inbox-item__title" id={headingId} tabIndex={-1} data-item-heading>
            <time dateTime={event.concertDate}>{date}</time>
          </h3>
          <p className="inbox-item__meta">{known.filter(Boolean).join(' · ')}</p>
          <p className="inbox-item__meta">{plural(event.photoCount, 'photo')}</p>
        </div>
        <ItemToggle expanded={expanded} panelId={panelId} action="Find the concert" subject={date} onToggle={() => setExpanded((open) => !open)} />
      </div>
      <ConcertStrip concertId={event.id} photoCount={event.photoCount} label={`Photos of ${date}`} />
      <div className="inbox-item__panel" id={panelId} hidden={!expanded}>
        {expanded && (
          <>
            <CandidatesPanel target={target} kind="concert" dated choosing={choosing} />
            <p className="inbox-item__aside">
              <a className="inbox-candidate__link" href={hrefOf({ view: 'concert', concertId: event.id })}>
                Name it yourself on the concert’s page
              </a>
            </p>
          </>
        )}
      </div>
    </li>
  );
}
