import { useId } from 'react';
import { plural } from '../lib/format.js';
import type { RouterOutputs } from '../trpc.js';
import { PhotoImage } from '../ui/PhotoImage.js';
import { formatConcertDate, placeLine, UNKNOWN_ARTIST } from './format.js';

export type TimelineConcert = RouterOutputs['concerts']['list']['items'][number];

/**
 * One concert on the timeline. The whole card is the link to the concert (the
 * heading's link stretched over it), while the inbox link stays its own target.
 */
export function ConcertCard({ concert, eager }: { concert: TimelineConcert; eager: boolean }) {
  const titleId = useId();
  const needsReview = concert.status === 'needs_review';
  const artist = concert.artist?.name ?? null;
  const title = artist ?? (needsReview ? `${UNKNOWN_ARTIST} — needs review` : UNKNOWN_ARTIST);
  const place = placeLine(concert.city, concert.countryCode);
  const extra = concert.photoCount - concert.photos.length;
  const date = formatConcertDate(concert.concertDate);
  // Two shows of one artist must not sound alike: the link says when and where too.
  const linkName = [title, date, concert.venue?.name ?? place].filter(Boolean).join(', ');

  return (
    <li className="concert-card" data-testid="concert-card" data-concert-id={concert.id}>
      <article className="concert-card__body" aria-labelledby={titleId}>
        <div className="concert-card__text">
          <h3 className="concert-card__title" id={titleId}>
            <a className="concert-card__link" href={`#/concerts/${concert.id}`} aria-label={linkName}>
              {title}
            </a>
          </h3>
          <p className="concert-card__venue">{concert.venue?.name ?? 'Venue unknown'}</p>
          {place && <p className="concert-card__meta">{place}</p>}
          <p className="concert-card__meta">
            <time dateTime={concert.concertDate}>{date}</time>
            <span aria-hidden="true"> · </span>
            <span>{plural(concert.photoCount, 'photo')}</span>
          </p>
          {needsReview && (
            <p className="concert-card__review">
              <span className="badge badge--review">Needs review</span>
              <a className="concert-card__inbox" href="#/inbox">
                Review in the inbox
              </a>
            </p>
          )}
        </div>
        {concert.photos.length > 0 && (
          <ul className="concert-card__strip" aria-label={`Photos of ${title}`}>
            {concert.photos.map((photo, index) => (
              <li key={photo.id} className="concert-card__thumb">
                <PhotoImage
                  photo={photo}
                  alt={`${title}, ${date}: photo ${index + 1} of ${concert.photoCount}`}
                  sizes="(min-width: 48rem) 88px, 16vw"
                  eager={eager && index < 3}
                />
                {index === concert.photos.length - 1 && extra > 0 && <span className="concert-card__more">+{extra}</span>}
              </li>
            ))}
          </ul>
        )}
      </article>
    </li>
  );
}
