import { useId, useState } from 'react';
import { formatConcertDate } from '../concerts/format.js';
import { plural } from '../lib/format.js';
import { hrefOf } from '../shell/route.js';
import { PhotoImage } from '../ui/PhotoImage.js';
import { FestivalClusters } from './FestivalClusters.js';
import type { FestivalData } from './FestivalPage.js';
import { setTimesText } from './reasons.js';
import { SetTimesForm } from './SetTimesForm.js';

type Day = FestivalData['days'][number];
type Act = Day['acts'][number];

/** A day of the festival: the acts seen with their photos, the rest of the lineup, and the photos still waiting for an act. */
export function FestivalDay({ festivalId, day }: { festivalId: number; day: Day }) {
  const headingId = useId();
  const [status, setStatus] = useState('');
  const date = formatConcertDate(day.date);
  const seen = day.acts.filter((act) => act.concertId !== null);
  const others = day.acts.filter((act) => act.concertId === null);
  return (
    <section className="festival-day" aria-labelledby={headingId} data-testid="festival-day" data-date={day.date}>
      <h2 className="festival-day__title" id={headingId}>
        <time dateTime={day.date}>{date}</time>
        <span className="festival-day__count">{plural(seen.length, 'act')} seen</span>
      </h2>
      <p className="festival-day__status" role="status" data-testid="festival-day-status">
        {status}
      </p>
      {seen.length > 0 ? (
        <ol className="festival-acts">
          {seen.map((act) => (
            <SeenAct key={act.id} act={act} date={date} onSaved={setStatus} />
          ))}
        </ol>
      ) : (
        <p className="muted">No act of this day has photos yet.</p>
      )}
      {others.length > 0 && (
        <div className="festival-lineup">
          <h3 className="festival-lineup__title">Also on the lineup</h3>
          <ul className="festival-lineup__list">
            {others.map((act) => (
              <li key={act.id} className="festival-lineup__act" data-testid="festival-other-act" data-act-id={act.id}>
                <span>
                  <span className="festival-lineup__name">{act.artist.name}</span>
                  {actDetails(act) && <span className="muted"> · {actDetails(act)}</span>}
                </span>
                <SetTimesForm actId={act.id} artistName={act.artist.name} setStart={act.setStart} setEnd={act.setEnd} onSaved={setStatus} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {day.waitingPhotos > 0 && (
        <FestivalClusters festivalId={festivalId} evening={day.date} title={`${plural(day.waitingPhotos, 'photo')} waiting for an act`} />
      )}
    </section>
  );
}

/** "Main Stage · 19:00–20:15": what is known of where and when. */
function actDetails(act: Act): string {
  return [act.stage, setTimesText(act.setStart, act.setEnd)].filter(Boolean).join(' · ');
}

function SeenAct({ act, date, onSaved }: { act: Act; date: string; onSaved: (message: string) => void }) {
  const titleId = useId();
  const name = act.artist.name;
  const extra = act.photoCount - act.photos.length;
  const details = actDetails(act);
  return (
    <li className="festival-act" data-testid="festival-act" data-act-id={act.id} data-concert-id={act.concertId}>
      <article className="festival-act__body" aria-labelledby={titleId}>
        <div className="festival-act__text">
          <h3 className="festival-act__title" id={titleId}>
            <a href={hrefOf({ view: 'concert', concertId: act.concertId! })}>{name}</a>
          </h3>
          {details && <p className="festival-act__meta">{details}</p>}
          <p className="festival-act__meta">{plural(act.photoCount, 'photo')}</p>
          <SetTimesForm actId={act.id} artistName={name} setStart={act.setStart} setEnd={act.setEnd} onSaved={onSaved} />
        </div>
        {act.photos.length > 0 && (
          <ul className="concert-card__strip" aria-label={`Photos of ${name}`}>
            {act.photos.map((photo, index) => (
              <li key={photo.id} className="concert-card__thumb">
                <PhotoImage photo={photo} alt={`${name}, ${date}: photo ${index + 1} of ${act.photoCount}`} sizes="(min-width: 48rem) 88px, 16vw" />
                {index === act.photos.length - 1 && extra > 0 && <span className="concert-card__more">+{extra}</span>}
              </li>
            ))}
          </ul>
        )}
      </article>
    </li>
  );
}
