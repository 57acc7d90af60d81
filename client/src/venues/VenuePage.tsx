import { ConcertCard } from '../concerts/ConcertCard.js';
import { countryName, formatConcertDate, openStreetMapUrl } from '../concerts/format.js';
import { formatCount, plural } from '../lib/format.js';
import { hrefOf } from '../shell/route.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { BackLink, DetailPage, RefreshFailed, type Refresh } from '../ui/DetailPage.js';
import { ViewHeading } from '../ui/ViewHeading.js';
import '../concerts/concerts.css';
import '../stats/stats.css';
import './venues.css';

type VenueHistory = RouterOutputs['venues']['history'];

const BACK = { href: hrefOf({ view: 'stats' }), label: 'Stats and map' };

/** One venue: where it is, how often the user was there, and every show they saw there, newest first. */
export function VenuePage({ venueId }: { venueId: number }) {
  const history = trpc.venues.history.useQuery({ venueId });

  // Missing or another user's own venue: the server says NOT_FOUND to both alike.
  return (
    <DetailPage
      query={history}
      noun="venue"
      back={BACK}
      notFound={{ title: 'There is no such venue', text: "The link may be mistyped, or it points to a venue you can't see." }}
    >
      {(data, refresh) => <VenueDetails history={data} refresh={refresh} />}
    </DetailPage>
  );
}

function VenueDetails({ history: { venue, summary, shows }, refresh }: { history: VenueHistory; refresh: Refresh }) {
  const place = [venue.city, countryName(venue.countryCode)].filter(Boolean).join(', ');
  return (
    <article className="venue-page" data-testid="venue-page" data-venue-id={venue.id}>
      <BackLink {...BACK} />
      <header className="venue-header">
        <ViewHeading title={venue.name}>{venue.name}</ViewHeading>
        {place && <p className="venue-header__place">{place}</p>}
        <a className="venue-header__map" href={openStreetMapUrl(venue.latitude, venue.longitude)} target="_blank" rel="noopener noreferrer">
          Show on OpenStreetMap
          <span className="visually-hidden"> (opens in a new tab)</span>
        </a>
      </header>

      <RefreshFailed noun="venue" refresh={refresh} />

      {shows.length === 0 ? (
        <div className="empty-state" data-testid="venue-no-shows">
          <p className="empty-state__title">No shows here yet</p>
          <p className="empty-state__text">None of your concerts is at this venue.</p>
        </div>
      ) : (
        <>
          <section aria-labelledby="venue-summary-title">
            <h2 className="visually-hidden" id="venue-summary-title">
              Your visits
            </h2>
            <dl className="stats-figures" data-testid="venue-summary">
              <Figure label="Shows" value={formatCount(summary.shows)} testId="venue-shows" />
              <Figure label="Artists" value={formatCount(summary.artists)} testId="venue-artists" />
              {summary.firstVisit && (
                <Figure label="First visit" value={formatConcertDate(summary.firstVisit, { weekday: false })} testId="venue-first" />
              )}
              {summary.lastVisit && (
                <Figure label="Last visit" value={formatConcertDate(summary.lastVisit, { weekday: false })} testId="venue-last" />
              )}
            </dl>
          </section>
          <section className="venue-shows" aria-labelledby="venue-shows-title">
            <h2 className="venue-shows__title" id="venue-shows-title">
              {plural(summary.shows, 'show')} you saw here
            </h2>
            <ol className="timeline-year__list">
              {shows.map((show, index) => (
                <ConcertCard key={show.id} concert={show} eager={index < 2} />
              ))}
            </ol>
          </section>
        </>
      )}
    </article>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="stats-figure">
      <dt className="stats-figure__label">{label}</dt>
      <dd className="stats-figure__value venue-figure__value" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
