import { useId } from 'react';
import type { TimelineConcert } from '../concerts/ConcertCard.js';
import { placeLine, UNKNOWN_ARTIST } from '../concerts/format.js';
import { plural } from '../lib/format.js';
import { hrefOf } from '../shell/route.js';
import { PhotoImage } from '../ui/PhotoImage.js';
import { festivalDates, festivalDay } from './format.js';
import './festivals.css';

/**
 * A festival on the timeline: one card for the acts seen there, its name leading to
 * the festival's page and each act to its own concert. The list is newest first, so
 * the acts are turned back into the order they played.
 */
export function FestivalCard({ festival, acts, eager }: { festival: { id: number; name: string }; acts: TimelineConcert[]; eager: boolean }) {
  const titleId = useId();
  const inOrder = [...acts].reverse();
  const first = inOrder[0]!;
  const last = inOrder.at(-1)!;
  const place = placeLine(first.city, first.countryCode);
  const photos = acts.reduce((sum, act) => sum + act.photoCount, 0);
  const manyDays = first.concertDate !== last.concertDate;
  return (
    <li className="festival-card" data-testid="festival-card" data-festival-id={festival.id}>
      <article className="festival-card__body" aria-labelledby={titleId}>
        <p className="festival-card__kind">Festival</p>
        <h3 className="festival-card__title" id={titleId}>
          <a href={hrefOf({ view: 'festival', festivalId: festival.id })}>{festival.name}</a>
        </h3>
        <p className="festival-card__meta">
          <time dateTime={first.concertDate}>{festivalDates(first.concertDate, last.concertDate)}</time>
          {(first.venue?.name ?? place) && (
            <>
              <span aria-hidden="true"> · </span>
              <span>{[first.venue?.name, place].filter(Boolean).join(', ')}</span>
            </>
          )}
        </p>
        <p className="festival-card__meta">
          {plural(acts.length, 'act')} seen · {plural(photos, 'photo')}
        </p>
        <ul className="festival-card__acts" aria-label={`Acts you saw at ${festival.name}`}>
          {inOrder.map((act, index) => {
            const name = act.artist?.name ?? UNKNOWN_ARTIST;
            const photo = act.photos[0];
            return (
              <li key={act.id} className="festival-card__act" data-testid="festival-card-act" data-concert-id={act.id}>
                <span className="festival-card__thumb">{photo && <PhotoImage photo={photo} alt="" sizes="44px" eager={eager && index < 4} />}</span>
                <a href={hrefOf({ view: 'concert', concertId: act.id })}>
                  <span>
                    {name}
                    {manyDays && <span className="festival-card__act-meta">{festivalDay(act.concertDate)}</span>}
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      </article>
    </li>
  );
}
