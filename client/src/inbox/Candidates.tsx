import { useId, type ReactNode } from 'react';
import type { InboxChoice, InboxTarget } from '../../../shared/inbox.schema.js';
import { formatConcertDate, placeLine, UNKNOWN_ARTIST } from '../concerts/format.js';
import { describeError } from '../lib/errors.js';
import { plural } from '../lib/format.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';

export type Candidates = RouterOutputs['inbox']['candidates'];
type CandidateConcert = Candidates['concerts'][number];

/** Candidates change only when the user settles something (which refreshes them): no need to ask setlist.fm again meanwhile. */
const CANDIDATES_STALE_MS = 5 * 60_000;

export function useCandidates(target: InboxTarget, enabled = true) {
  return trpc.inbox.candidates.useQuery({ target }, { enabled, staleTime: CANDIDATES_STALE_MS });
}

export interface Choosing {
  /** The candidate being applied, if any: its button shows the spinner, every other one waits. */
  pendingKey: string | null;
  busy: boolean;
  error: string | null;
  /** `message` says what was done, for the announcement. */
  choose: (choice: InboxChoice, key: string, message: string) => void;
}

const meters = new Intl.NumberFormat(undefined, { style: 'unit', unit: 'meter', maximumFractionDigits: 0 });
const kilometers = new Intl.NumberFormat(undefined, { style: 'unit', unit: 'kilometer', maximumFractionDigits: 1 });
const distance = (m: number) => (m < 1000 ? meters.format(m) : kilometers.format(m / 1000));

export function concertLabel(concert: Pick<CandidateConcert, 'artist' | 'venue'>): string {
  const artist = concert.artist?.name ?? UNKNOWN_ARTIST;
  return concert.venue ? `${artist} at ${concert.venue.name}` : artist;
}

/**
 * The one-click answers for an item: setlist.fm's setlists of that evening, venues
 * near where the photos were taken, other fans' entries there that evening (shared
 * names only, marked unverified), and the user's own concerts around that date.
 * Choosing one settles the whole item.
 */
export function CandidatesPanel({
  target,
  kind,
  dated,
  choosing,
}: {
  target: InboxTarget;
  kind: 'concert' | 'photos';
  dated: boolean;
  choosing: Choosing;
}) {
  const candidates = useCandidates(target);
  const headingId = useId();

  if (!candidates.data) {
    if (candidates.error) {
      return (
        <ErrorState
          compact
          title="Couldn't look for candidates"
          message={describeError(candidates.error).message}
          onRetry={() => void candidates.refetch()}
          retrying={candidates.isFetching}
        />
      );
    }
    return <Loading inline label="Looking for the concert it was…" />;
  }

  const { setlists, venues, concerts, setlistfm, evening, suggestions } = candidates.data;
  // Photos without a date can only join a concert: a venue, a setlist or another fan's entry needs an evening.
  const offerSetlists = dated && setlists.length > 0;
  const offerVenues = dated && venues.length > 0;
  const offerSuggestions = dated && suggestions.length > 0;
  const nothing = !offerSetlists && !offerVenues && !offerSuggestions && concerts.length === 0;

  return (
    <section className="inbox-candidates" aria-labelledby={headingId}>
      <h4 className="inbox-candidates__title" id={headingId}>
        {kind === 'concert' ? 'Which concert was it?' : 'Which concert are these from?'}
      </h4>
      {dated && <SetlistFmNotice status={setlistfm} retrying={candidates.isFetching} onRetry={() => void candidates.refetch()} />}
      {!dated && <p className="notice">These photos have no date, so only your own concerts can be suggested. You can also move them below.</p>}

      {offerSetlists && (
        <CandidateGroup title="Setlists on setlist.fm that evening">
          {byLikelihood(setlists, venues).map((setlist) => {
            const key = `setlist:${setlist.setlistId}`;
            const description = `${setlist.artist} at ${setlist.venue}`;
            const message = `Settled as ${description}${evening ? `, ${formatConcertDate(evening)}` : ''}.`;
            return (
              <Candidate
                key={key}
                testId="setlist-candidate"
                title={setlist.artist}
                details={[
                  [setlist.venue, setlist.city].filter(Boolean).join(', '),
                  setlist.tour,
                  setlist.songCount ? plural(setlist.songCount, 'song') : 'No songs listed',
                ]}
                link={setlist.url ? { href: setlist.url, label: 'Setlist on setlist.fm' } : null}
                action="Choose"
                actionLabel={description}
                pending={choosing.pendingKey === key}
                busy={choosing.busy}
                onChoose={() => choosing.choose({ setlistId: setlist.setlistId }, key, message)}
              />
            );
          })}
        </CandidateGroup>
      )}

      {offerVenues && (
        <CandidateGroup title="Venues nearby">
          {venues.map((venue) => {
            const key = `venue:${venue.id}`;
            return (
              <Candidate
                key={key}
                testId="venue-candidate"
                title={venue.name}
                details={[placeLine(venue.city, venue.countryCode), `${distance(venue.distanceMeters)} away`]}
                action="Choose"
                actionLabel={venue.name}
                pending={choosing.pendingKey === key}
                busy={choosing.busy}
                onChoose={() => choosing.choose({ venueId: venue.id }, key, `Venue set to ${venue.name}.`)}
              />
            );
          })}
        </CandidateGroup>
      )}

      {offerSuggestions && (
        <CandidateGroup title="Other fans' entries that evening (not verified)">
          {suggestions.map((suggestion) => {
            const key = `suggestion:${suggestion.artist.id}:${suggestion.venue.id}`;
            const label = `${suggestion.artist.name} at ${suggestion.venue.name}`;
            return (
              <Candidate
                key={key}
                testId="suggestion-candidate"
                title={label}
                details={[
                  suggestion.otherUsers === 1 ? "Another fan's entry, not verified" : `${suggestion.otherUsers} other fans' entries, not verified`,
                  `${distance(suggestion.venue.distanceMeters)} away`,
                ]}
                action="Choose"
                actionLabel={label}
                pending={choosing.pendingKey === key}
                busy={choosing.busy}
                onChoose={() => choosing.choose({ artistId: suggestion.artist.id, venueId: suggestion.venue.id }, key, `Settled as ${label}.`)}
              />
            );
          })}
        </CandidateGroup>
      )}

      {concerts.length > 0 && (
        <CandidateGroup title={kind === 'concert' ? 'Your concerts around that date (merge into one)' : 'Your concerts around that date'}>
          {concerts.map((concert) => {
            const key = `concert:${concert.id}`;
            const label = concertLabel(concert);
            return (
              <Candidate
                key={key}
                testId="concert-candidate"
                title={label}
                details={[formatConcertDate(concert.concertDate), placeLine(concert.city, concert.countryCode)]}
                action={kind === 'concert' ? 'Merge' : 'Add to it'}
                actionLabel={label}
                pending={choosing.pendingKey === key}
                busy={choosing.busy}
                onChoose={() =>
                  choosing.choose({ concertId: concert.id }, key, kind === 'concert' ? `Merged into ${label}.` : `Photos added to ${label}.`)
                }
              />
            );
          })}
        </CandidateGroup>
      )}

      {nothing && (
        <p className="muted">
          {kind === 'concert'
            ? 'Nothing to suggest for this evening: setlist.fm and your history know no show at this place that night.'
            : 'Nothing to suggest for these photos. Select them below to create a concert or add them to one.'}
        </p>
      )}

      {choosing.error && (
        <p className="form-alert" role="alert">
          {choosing.error}
        </p>
      )}
    </section>
  );
}

function SetlistFmNotice({ status, retrying, onRetry }: { status: Candidates['setlistfm']; retrying: boolean; onRetry: () => void }) {
  if (status === 'ok') return null;
  if (status === 'off') {
    return (
      <p className="notice" data-testid="setlistfm-status">
        setlist.fm isn't connected on this server, so no setlists can be suggested. A venue or one of your concerts still settles it.
      </p>
    );
  }
  return (
    <div className="notice inbox-notice" data-testid="setlistfm-status">
      <p>setlist.fm couldn't be reached just now, so its setlists are missing here.</p>
      <button type="button" className="button button--ghost" onClick={onRetry} disabled={retrying} aria-busy={retrying}>
        {retrying && <span className="spinner spinner--small" aria-hidden="true" />}
        Ask setlist.fm again
      </button>
    </div>
  );
}

function CandidateGroup({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <div className="inbox-candidate-group">
      <h5 className="inbox-candidate-group__title" id={id}>
        {title}
      </h5>
      <ul className="inbox-candidate-list" aria-labelledby={id}>
        {children}
      </ul>
    </div>
  );
}

interface CandidateProps {
  testId: string;
  title: string;
  details: Array<string | null | undefined>;
  link?: { href: string; label: string } | null;
  action: string;
  /** Completes the button's accessible name ("Choose Hollow Meridian at Paradiso"). */
  actionLabel: string;
  pending: boolean;
  busy: boolean;
  onChoose: () => void;
}

function Candidate({ testId, title, details, link = null, action, actionLabel, pending, busy, onChoose }: CandidateProps) {
  const shown = details.filter((detail): detail is string => !!detail);
  return (
    <li className="inbox-candidate" data-testid={testId}>
      <div className="inbox-candidate__text">
        <p className="inbox-candidate__title">{title}</p>
        {shown.length > 0 && <p className="inbox-candidate__details">{shown.join(' · ')}</p>}
        {link && (
          <a className="inbox-candidate__link" href={link.href} target="_blank" rel="noopener noreferrer">
            {link.label}
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        )}
      </div>
      <button type="button" className="button button--primary inbox-candidate__action" onClick={onChoose} disabled={busy} aria-busy={pending}>
        {pending && <span className="spinner spinner--small spinner--on-primary" aria-hidden="true" />}
        {action}
        <span className="visually-hidden"> {actionLabel}</span>
      </button>
    </li>
  );
}

/**
 * setlist.fm answers for the whole city: the setlists at a venue near where the
 * photos were taken come first, and of those the headliner's (most songs).
 */
export function byLikelihood<T extends { songCount: number; venue: string }>(setlists: readonly T[], venues: ReadonlyArray<{ name: string }>): T[] {
  const near = new Set(venues.map((venue) => venue.name.toLocaleLowerCase()));
  const isNear = (setlist: T) => (near.has(setlist.venue.toLocaleLowerCase()) ? 0 : 1);
  return byHeadlinerFirst(setlists).sort((a, b) => isNear(a) - isNear(b));
}

/** The night's headliner played the most songs (as matching decides): the likeliest answer comes first. */
function byHeadlinerFirst<T extends { songCount: number }>(setlists: readonly T[]): T[] {
  return [...setlists].sort((a, b) => b.songCount - a.songCount);
}
