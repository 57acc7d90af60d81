import { formatConcertDate, placeLine } from '../concerts/format.js';
import { formatCount, plural } from '../lib/format.js';
import { hrefOf } from '../shell/route.js';
import type { RouterOutputs } from '../trpc.js';

type Summary = RouterOutputs['stats']['summary'];

const kilometres = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** To 0.1 km, as the server rounds: "8,772.0 km". */
export function formatKm(km: number): string {
  return `${kilometres.format(km)} km`;
}

/** "2 concerts without a venue position are left out." */
export function LeftOut({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <p className="muted stats-next" data-testid="map-left-out">
      {plural(count, 'concert')} without a venue position {count === 1 ? 'is' : 'are'} left out.
    </p>
  );
}

/** How far from home the user went: in total, the farthest show, and per year. */
export function TravelFigures({ travel, leftOut }: { travel: Summary['travel']; leftOut: number }) {
  if (!travel) {
    return (
      <p className="muted" data-testid="travel-no-home">
        Set your home city in{' '}
        <a className="stats-link" href={hrefOf({ view: 'settings' })}>
          Settings
        </a>{' '}
        to see how far you went for your concerts.
      </p>
    );
  }
  const { farthest } = travel;
  return (
    <>
      <p className="muted">One way from {placeLine(travel.home.name, travel.home.countryCode)} to each concert's venue, as the crow flies.</p>
      <dl className="stats-travel">
        <div>
          <dt>Travelled</dt>
          <dd data-testid="travel-total">{formatKm(travel.totalKm)}</dd>
        </div>
        {farthest && (
          <div>
            <dt>Farthest show</dt>
            <dd data-testid="travel-farthest">
              {formatKm(farthest.km)} · {farthest.name}
              {farthest.city ? `, ${farthest.city}` : ''} ·{' '}
              <time dateTime={farthest.concertDate}>{formatConcertDate(farthest.concertDate, { weekday: false })}</time>
            </dd>
          </div>
        )}
      </dl>
      {travel.perYear.length > 0 && (
        <table className="stats-table">
          <caption className="visually-hidden">Distance per year</caption>
          <thead>
            <tr>
              <th scope="col">Year</th>
              <th scope="col">Concerts</th>
              <th scope="col">Distance</th>
            </tr>
          </thead>
          <tbody>
            {travel.perYear.map((year) => (
              <tr key={year.year}>
                <th scope="row">{year.year}</th>
                <td>{formatCount(year.concerts)}</td>
                <td>{formatKm(year.km)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LeftOut count={leftOut} />
    </>
  );
}

/** New cities and countries per year: a place counts in the year of the first concert there. */
export function NewPlaces({ years }: { years: Summary['newPlaces'] }) {
  if (!years.length) return <p className="muted">No city or country known yet.</p>;
  return (
    <table className="stats-table" data-testid="new-places">
      <thead>
        <tr>
          <th scope="col">Year</th>
          <th scope="col">New cities</th>
          <th scope="col">New countries</th>
        </tr>
      </thead>
      <tbody>
        {years.map((year) => (
          <tr key={year.year}>
            <th scope="row">{year.year}</th>
            <td>{formatCount(year.cities)}</td>
            <td>{formatCount(year.countries)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
