import { placeLine } from '../concerts/format.js';
import { describeError } from '../lib/errors.js';
import { plural } from '../lib/format.js';
import { hrefOf } from '../shell/route.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { ErrorState } from '../ui/ErrorState.js';
import { DetailPage } from '../ui/DetailPage.js';
import { ViewHeading } from '../ui/ViewHeading.js';
import { AddActForm } from './AddActForm.js';
import { FestivalDay } from './FestivalDay.js';
import { FestivalName } from './FestivalName.js';
import { festivalDates } from './format.js';
import '../concerts/concerts.css';
import './festivals.css';

export type FestivalData = RouterOutputs['festivals']['get'];

/** One festival: its days, the acts the user saw with their photos, the rest of the lineup, and what still waits to be assigned. */
export function FestivalPage({ festivalId }: { festivalId: number }) {
  const festival = trpc.festivals.get.useQuery({ festivalId });

  // Missing or another user's: the server says NOT_FOUND to both alike.
  return (
    <DetailPage query={festival} noun="festival" back={<BackLink />} notFound={<FestivalNotFound />}>
      {(data, refresh) => <FestivalDetails data={data} {...refresh} />}
    </DetailPage>
  );
}

function BackLink() {
  return (
    <a className="concert-back" href={hrefOf({ view: 'concerts' })}>
      <span aria-hidden="true">←</span>All concerts
    </a>
  );
}

function FestivalNotFound() {
  return (
    <>
      <BackLink />
      <ViewHeading title="Festival not found">Festival not found</ViewHeading>
      <div className="empty-state" data-testid="festival-not-found">
        <p className="empty-state__title">This festival isn't in your history</p>
        <p className="empty-state__text">The link may be mistyped, or it points to a festival you can't see.</p>
        <a className="button button--primary" href={hrefOf({ view: 'concerts' })}>
          See all your concerts
        </a>
      </div>
    </>
  );
}

interface DetailsProps {
  data: FestivalData;
  refreshError: unknown;
  onRetry: () => void;
  retrying: boolean;
}

function FestivalDetails({ data: { festival, days }, refreshError, onRetry, retrying }: DetailsProps) {
  const place = placeLine(festival.city, festival.countryCode);
  const seen = days.reduce((sum, day) => sum + day.acts.filter((act) => act.concertId !== null).length, 0);
  return (
    <article className="festival-page" data-testid="festival-page" data-festival-id={festival.id}>
      <BackLink />
      <header className="festival-header">
        <FestivalName festival={festival} />
        <p className="festival-header__line">
          <span className="festival-header__site">{festival.siteName}</span>
          {place && (
            <>
              <span aria-hidden="true"> · </span>
              <span>{place}</span>
            </>
          )}
        </p>
        <p className="festival-header__line">
          <time dateTime={festival.firstDate}>{festivalDates(festival.firstDate, festival.lastDate)}</time>
          <span aria-hidden="true"> · </span>
          <span data-testid="festival-summary">
            {plural(seen, 'act')} seen over {plural(days.length, 'day')}
          </span>
        </p>
      </header>

      {refreshError ? (
        <ErrorState
          compact
          title="Couldn't refresh this festival"
          message={describeError(refreshError).message}
          onRetry={onRetry}
          retrying={retrying}
        />
      ) : null}

      {days.map((day) => (
        <FestivalDay key={day.date} festivalId={festival.id} day={day} />
      ))}

      <AddActForm festivalId={festival.id} days={days.map((day) => day.date)} />
    </article>
  );
}
