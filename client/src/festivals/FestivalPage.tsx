import { placeLine } from '../concerts/format.js';
import { plural } from '../lib/format.js';
import { hrefOf } from '../shell/route.js';
import { trpc, type RouterOutputs } from '../trpc.js';
import { BackLink, DetailPage, RefreshFailed, type Refresh } from '../ui/DetailPage.js';
import { AddActForm } from './AddActForm.js';
import { FestivalDay } from './FestivalDay.js';
import { FestivalName } from './FestivalName.js';
import { festivalDates } from './format.js';
import '../concerts/concerts.css';
import './festivals.css';

export type FestivalData = RouterOutputs['festivals']['get'];

const BACK = { href: hrefOf({ view: 'concerts' }), label: 'All concerts' };

/** One festival: its days, the acts the user saw with their photos, the rest of the lineup, and what still waits to be assigned. */
export function FestivalPage({ festivalId }: { festivalId: number }) {
  const festival = trpc.festivals.get.useQuery({ festivalId });

  // Missing or another user's: the server says NOT_FOUND to both alike.
  return (
    <DetailPage
      query={festival}
      noun="festival"
      back={BACK}
      notFound={{ title: "This festival isn't in your history", text: "The link may be mistyped, or it points to a festival you can't see." }}
    >
      {(data, refresh) => <FestivalDetails data={data} refresh={refresh} />}
    </DetailPage>
  );
}

function FestivalDetails({ data: { festival, days }, refresh }: { data: FestivalData; refresh: Refresh }) {
  const place = placeLine(festival.city, festival.countryCode);
  const seen = days.reduce((sum, day) => sum + day.acts.filter((act) => act.concertId !== null).length, 0);
  return (
    <article className="festival-page" data-testid="festival-page" data-festival-id={festival.id}>
      <BackLink {...BACK} />
      <header className="festival-header">
        <FestivalName festival={festival} />
        <p className="detail-header__line">
          <span className="detail-header__place">{festival.siteName}</span>
          {place && (
            <>
              <span aria-hidden="true"> · </span>
              <span>{place}</span>
            </>
          )}
        </p>
        <p className="detail-header__line">
          <time dateTime={festival.firstDate}>{festivalDates(festival.firstDate, festival.lastDate)}</time>
          <span aria-hidden="true"> · </span>
          <span data-testid="festival-summary">
            {plural(seen, 'act')} seen over {plural(days.length, 'day')}
          </span>
        </p>
      </header>

      <RefreshFailed noun="festival" refresh={refresh} />

      {days.map((day) => (
        <FestivalDay key={day.date} festivalId={festival.id} day={day} />
      ))}

      <AddActForm festivalId={festival.id} days={days.map((day) => day.date)} />
    </article>
  );
}
