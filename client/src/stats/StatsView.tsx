import { useId, type ReactNode } from 'react';
import { countryName, formatConcertDate, placeLine, UNKNOWN_ARTIST } from '../concerts/format.js';
import { describeError } from '../lib/errors.js';
import { formatCount, plural } from '../lib/format.js';
import { hrefOf } from '../shell/route.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';
import { ViewHeading } from '../ui/ViewHeading.js';
import { LeftOut, NewPlaces, TravelFigures } from './TravelFigures.js';
import { VenueMap } from './VenueMap.js';
import { YearChart } from './YearChart.js';
import './stats.css';

type Summary = RouterOutputs['stats']['summary'];
type MilestoneConcert = Summary['milestones'][number]['concert'];
type FirstHeard = Summary['topSongs'][number]['firstHeard'];

/** The user's history in figures: totals, years, weekdays, favourites, places, milestones and songs. */
export function StatsView() {
  const summary = trpc.stats.summary.useQuery();

  let content;
  if (summary.data) {
    content = summary.data.totalConcerts === 0 ? <NoConcerts photos={summary.data.totalPhotos} /> : <Figures stats={summary.data} />;
  } else if (summary.error) {
    content = (
      <ErrorState
        title="Couldn't load your stats"
        message={describeError(summary.error).message}
        onRetry={() => void summary.refetch()}
        retrying={summary.isFetching}
      />
    );
  } else {
    content = <Loading inline label="Counting your concerts…" />;
  }

  return (
    <>
      <ViewHeading title="Stats">Stats</ViewHeading>
      <p className="view-intro">Your concert history in figures. Every concert counts, including those still waiting for review in the inbox.</p>
      {summary.data && summary.error && (
        <ErrorState
          compact
          title="Couldn't refresh your stats"
          message={describeError(summary.error).message}
          onRetry={() => void summary.refetch()}
          retrying={summary.isFetching}
        />
      )}
      {content}
    </>
  );
}

function NoConcerts({ photos }: { photos: number }) {
  return (
    <section className="empty-state" aria-labelledby="stats-empty-title">
      <h2 className="empty-state__title" id="stats-empty-title">
        No concerts to count yet
      </h2>
      <p className="empty-state__text">
        {photos > 0
          ? `You have ${plural(photos, 'photo')}, but none is in a concert yet. Place them in the review inbox and your stats appear here.`
          : 'Scan a photo library and your concerts, years, favourite artists and most-heard songs appear here.'}
      </p>
      <a className="button button--primary" href={photos > 0 ? hrefOf({ view: 'inbox' }) : hrefOf({ view: 'library', scanId: null })}>
        {photos > 0 ? 'Open the review inbox' : 'Scan a photo library'}
      </a>
    </section>
  );
}

function Figures({ stats }: { stats: Summary }) {
  const weekdayMax = Math.max(...stats.perWeekday.map((day) => day.count));
  return (
    <div className="stats">
      <section aria-labelledby="stats-glance-title">
        <h2 className="visually-hidden" id="stats-glance-title">
          At a glance
        </h2>
        <dl className="stats-figures">
          <Figure label="Concerts" value={stats.totalConcerts} testId="stat-concerts" />
          <Figure label="Photos" value={stats.totalPhotos} testId="stat-photos" />
          <Figure label="Artists" value={stats.totalArtists} />
          <Figure label="Venues" value={stats.totalVenues} />
          <Figure label="Cities" value={stats.cities.total} />
          <Figure label="Countries" value={stats.countries.length} />
          {stats.festivals.acts > 0 && (
            <>
              <Figure label="Festivals" value={stats.festivals.festivals} testId="stat-festivals" />
              <Figure label="Festival acts" value={stats.festivals.acts} testId="stat-festival-acts" />
            </>
          )}
        </dl>
      </section>

      <StatsCard title="Concerts per year" wide>
        <YearChart years={stats.perYear} />
      </StatsCard>

      {stats.firstConcert && (
        <StatsCard title="Your first concert">
          <FirstConcert concert={stats.firstConcert} />
        </StatsCard>
      )}

      <StatsCard title="Milestones">
        <ol className="stats-milestones">
          {stats.milestones.map(({ n, concert }) => (
            <li key={n} className="stats-milestone">
              <span className="stats-milestone__n">{ordinal(n)}</span>
              <span className="stats-milestone__body">
                <a className="stats-link" href={hrefOf({ view: 'concert', concertId: concert.id })}>
                  {concertTitle(concert)}
                </a>
                <span className="muted">
                  <time dateTime={concert.concertDate}>{formatConcertDate(concert.concertDate)}</time>
                </span>
              </span>
            </li>
          ))}
        </ol>
        {stats.nextMilestone !== null && (
          <p className="muted stats-next">
            {plural(stats.nextMilestone - stats.totalConcerts, 'more concert')} to your {ordinal(stats.nextMilestone)}.
          </p>
        )}
      </StatsCard>

      <StatsCard title="Concerts per weekday">
        <ol className="stats-bars">
          {stats.perWeekday.map((day) => (
            <BarRow key={day.weekday} label={weekdayName(day.weekday)} count={day.count} max={weekdayMax} />
          ))}
        </ol>
      </StatsCard>

      <StatsCard title="Top artists">
        <RankedBars
          empty="No artist known yet: settle your concerts in the review inbox."
          rows={stats.topArtists.map((artist) => ({ key: artist.id, label: artist.name, count: artist.count }))}
        />
      </StatsCard>

      <StatsCard title="Top venues">
        <RankedBars
          empty="No venue known yet: settle your concerts in the review inbox."
          rows={stats.topVenues.map((venue) => ({
            key: venue.id,
            label: venue.name,
            detail: placeLine(venue.city, venue.countryCode),
            count: venue.count,
          }))}
        />
      </StatsCard>

      <StatsCard title="Cities">
        <RankedBars
          empty="No city known yet."
          rows={stats.cities.top.map((city) => ({
            key: `${city.city}|${city.countryCode ?? ''}`,
            label: city.city,
            detail: countryName(city.countryCode),
            count: city.count,
          }))}
        />
        {stats.cities.total > stats.cities.top.length && (
          <p className="muted stats-next">
            The {stats.cities.top.length} you've been to most, of {formatCount(stats.cities.total)}.
          </p>
        )}
      </StatsCard>

      <StatsCard title="Where you've been" wide>
        {stats.map.venues.length === 0 ? (
          <p className="muted">No venue with a position yet: settle your concerts in the review inbox.</p>
        ) : (
          <VenueMap venues={stats.map.venues} tiles={stats.map.tiles} />
        )}
        <LeftOut count={stats.map.leftOut} />
      </StatsCard>

      <StatsCard title="Distance from home">
        <TravelFigures travel={stats.travel} leftOut={stats.map.leftOut} />
      </StatsCard>

      <StatsCard title="New places per year">
        <NewPlaces years={stats.newPlaces} />
      </StatsCard>

      <StatsCard title="Countries">
        <RankedBars
          empty="No country known yet."
          rows={stats.countries.map((country) => ({
            key: country.countryCode,
            label: countryName(country.countryCode) ?? country.countryCode,
            count: country.count,
          }))}
        />
      </StatsCard>

      <StatsCard title="Songs heard live most often" wide>
        {stats.topSongs.length === 0 ? (
          <p className="muted">No setlists yet. Concerts matched on setlist.fm bring theirs, and the songs you heard show up here.</p>
        ) : (
          <>
            <ol className="stats-songs">
              {stats.topSongs.map((song, i) => (
                <li key={`${song.artist.id}|${song.song}`} className="stats-song">
                  <span className="stats-song__rank" aria-hidden="true">
                    {i + 1}
                  </span>
                  <span className="stats-song__body">
                    <span className="stats-song__title">{song.song}</span>
                    <span className="muted">{song.artist.name}</span>
                    <FirstHeardAt first={song.firstHeard} />
                  </span>
                  <span className="stats-song__count">{plural(song.count, 'concert')}</span>
                </li>
              ))}
            </ol>
            <p className="muted stats-next">From your concerts' setlists (setlist.fm); songs played from tape are left out.</p>
          </>
        )}
      </StatsCard>
    </div>
  );
}

function Figure({ label, value, testId }: { label: string; value: number; testId?: string }) {
  return (
    <div className="stats-figure">
      <dt className="stats-figure__label">{label}</dt>
      <dd className="stats-figure__value" data-testid={testId}>
        {formatCount(value)}
      </dd>
    </div>
  );
}

function StatsCard({ title, wide = false, children }: { title: string; wide?: boolean; children: ReactNode }) {
  const id = useId();
  return (
    <section className={wide ? 'card stats-card stats-card--wide' : 'card stats-card'} aria-labelledby={id}>
      <h2 className="card__title" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}

function FirstConcert({ concert }: { concert: MilestoneConcert }) {
  const place = placeLine(concert.city, concert.countryCode);
  return (
    <a className="stats-first" href={hrefOf({ view: 'concert', concertId: concert.id })} data-testid="first-concert">
      <span className="stats-first__date">
        <time dateTime={concert.concertDate}>{formatConcertDate(concert.concertDate)}</time>
      </span>
      <span className="stats-first__artist">{concert.artist?.name ?? UNKNOWN_ARTIST}</span>
      <span className="muted">{[concert.venue?.name, place].filter(Boolean).join(' · ') || 'Venue not known yet'}</span>
    </a>
  );
}

/** Where a song was first heard live: a link to that concert, "12 Mar 2011 · Paradiso · Amsterdam, Netherlands". */
function FirstHeardAt({ first }: { first: FirstHeard }) {
  const where = [first.venueName, placeLine(first.city, first.countryCode)].filter(Boolean).join(' · ');
  return (
    <span className="stats-song__first">
      First heard at{' '}
      <a href={hrefOf({ view: 'concert', concertId: first.concertId })} data-testid="first-heard">
        <time dateTime={first.concertDate}>{formatConcertDate(first.concertDate, { weekday: false })}</time>
        {where && ` · ${where}`}
      </a>
    </span>
  );
}

interface RankedRow {
  key: string | number;
  label: string;
  detail?: string | null;
  count: number;
}

function RankedBars({ rows, empty }: { rows: RankedRow[]; empty: string }) {
  if (!rows.length) return <p className="muted">{empty}</p>;
  const max = Math.max(...rows.map((row) => row.count));
  return (
    <ol className="stats-bars">
      {rows.map((row) => (
        <BarRow key={row.key} label={row.label} detail={row.detail ?? null} count={row.count} max={max} />
      ))}
    </ol>
  );
}

function BarRow({ label, detail = null, count, max }: { label: string; detail?: string | null; count: number; max: number }) {
  return (
    <li className="stats-bar">
      <span className="stats-bar__label">
        <span className="stats-bar__name">{label}</span>
        {detail && <span className="stats-bar__detail">{detail}</span>}
      </span>
      <span className="stats-bar__value">
        {formatCount(count)}
        <span className="visually-hidden">{count === 1 ? ' concert' : ' concerts'}</span>
      </span>
      <span className="stats-bar__track" aria-hidden="true">
        <span className="stats-bar__fill" style={{ width: `${max > 0 ? (count / max) * 100 : 0}%` }} />
      </span>
    </li>
  );
}

function concertTitle(concert: MilestoneConcert): string {
  const artist = concert.artist?.name ?? UNKNOWN_ARTIST;
  return concert.venue ? `${artist} at ${concert.venue.name}` : artist;
}

const ORDINAL_SUFFIX: Record<Intl.LDMLPluralRule, string> = { one: 'st', two: 'nd', few: 'rd', other: 'th', zero: 'th', many: 'th' };
const ordinalRules = new Intl.PluralRules('en-US', { type: 'ordinal' });

/** "1st", "22nd", "250th": the app's text is English. */
function ordinal(n: number): string {
  return `${formatCount(n)}${ORDINAL_SUFFIX[ordinalRules.select(n)]}`;
}

/** ISO weekday (Monday = 1) in the visitor's language: 2024-01-01 was a Monday. */
function weekdayName(isoWeekday: number): string {
  return new Intl.DateTimeFormat(undefined, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, isoWeekday));
}
