import { useId, useState } from 'react';
import { hrefOf, navigate } from '../shell/route.js';
import { trpc } from '../trpc.js';
import { BackLink, DetailPage, RefreshFailed, type Refresh } from '../ui/DetailPage.js';
import { ViewHeading } from '../ui/ViewHeading.js';
import { FromConcertDialog } from '../festivals/FromConcertDialog.js';
import { DeleteConcertDialog } from './DeleteConcertDialog.js';
import { EditConcertDialog } from './EditConcertDialog.js';
import { countryName, formatConcertDate, openStreetMapUrl, placeLine, UNKNOWN_ARTIST } from './format.js';
import { MergeConcertDialog } from './MergeConcertDialog.js';
import { PhotoGrid } from './PhotoGrid.js';
import { Setlist } from './Setlist.js';
import type { ConcertDetail } from './types.js';
import './concerts.css';

type OpenDialog = 'edit' | 'merge' | 'delete' | 'festival' | null;

const BACK = { href: hrefOf({ view: 'concerts' }), label: 'All concerts' };

/** One concert: who, where, when, the photos, the setlist, and the user's corrections. */
export function ConcertPage({ concertId }: { concertId: number }) {
  const concert = trpc.concerts.get.useQuery({ id: concertId });
  // Missing, deleted, merged away or someone else's: the server says NOT_FOUND to all of them alike.
  return (
    <DetailPage
      query={concert}
      noun="concert"
      back={BACK}
      notFound={{
        title: "This concert isn't in your history",
        text: 'It may have been deleted, or merged into another concert. Its photos are still in your library.',
      }}
    >
      {(data, refresh) => <ConcertDetails concert={data} refresh={refresh} />}
    </DetailPage>
  );
}

function ConcertDetails({ concert, refresh }: { concert: ConcertDetail; refresh: Refresh }) {
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [announcement, setAnnouncement] = useState('');
  const artist = concert.artist?.name ?? null;
  const title = artist ?? UNKNOWN_ARTIST;
  const subject = `${title}${concert.venue ? ` at ${concert.venue.name}` : ''}`;
  const place = placeLine(concert.city, concert.countryCode);
  const date = formatConcertDate(concert.concertDate);
  const needsReview = concert.status === 'needs_review';
  const hasSetlist = !!concert.setlist?.some((set) => set.songs.length > 0);

  return (
    <article className="concert-page" data-testid="concert-page" data-concert-id={concert.id}>
      <BackLink {...BACK} />
      <header className="concert-header">
        <ViewHeading title={`${title}, ${formatConcertDate(concert.concertDate, { weekday: false })}`}>{title}</ViewHeading>
        <p className="detail-header__line">
          {concert.venue ? (
            <a className="detail-header__place" href={hrefOf({ view: 'venue', venueId: concert.venue.id })}>
              {concert.venue.name}
            </a>
          ) : (
            <span className="muted">Venue unknown</span>
          )}
          {place && (
            <>
              <span aria-hidden="true"> · </span>
              <span>{place}</span>
            </>
          )}
        </p>
        <p className="detail-header__line">
          <time dateTime={concert.concertDate}>{date}</time>
          {concert.tour && (
            <>
              <span aria-hidden="true"> · </span>
              <span className="concert-header__tour">{concert.tour}</span>
            </>
          )}
        </p>
        {concert.festival && (
          <p className="detail-header__line" data-testid="concert-festival">
            Seen at <a href={hrefOf({ view: 'festival', festivalId: concert.festival.id })}>{concert.festival.name}</a>
          </p>
        )}
        <p>
          <span className={needsReview ? 'badge badge--review' : 'badge badge--confirmed'} data-testid="concert-status">
            {needsReview ? 'Needs review' : 'Confirmed'}
          </span>
        </p>
        {needsReview && (
          <p className="notice concert-header__review">
            Found from your photos, but not identified for sure. Check it in the <a href="#/inbox">review inbox</a>, or edit it here: saving confirms
            it.
          </p>
        )}
        <div className="concert-actions">
          <button type="button" className="button button--primary" onClick={() => setDialog('edit')} aria-haspopup="dialog">
            Edit
          </button>
          <button type="button" className="button button--secondary" onClick={() => setDialog('merge')} aria-haspopup="dialog">
            Merge…
          </button>
          <button type="button" className="button button--secondary button--danger-text" onClick={() => setDialog('delete')} aria-haspopup="dialog">
            Delete…
          </button>
          {!concert.festival && (
            <button type="button" className="button button--secondary" onClick={() => setDialog('festival')} aria-haspopup="dialog">
              This was a festival…
            </button>
          )}
        </div>
        <p className="concert-header__status" role="status">
          {announcement}
        </p>
      </header>

      <RefreshFailed noun="concert" refresh={refresh} />

      <PhotoGrid concertId={concert.id} subject={subject} photoCount={concert.photoCount} />

      <div className="concert-columns">
        {hasSetlist && concert.setlist ? (
          <Setlist
            concertId={concert.id}
            artistName={artist}
            sets={concert.setlist.filter((set) => set.songs.length > 0)}
            setlistfmUrl={concert.setlistfmUrl}
          />
        ) : (
          <section className="card concert-section" aria-labelledby="setlist-missing-title">
            <h2 className="card__title" id="setlist-missing-title">
              Setlist
            </h2>
            <p className="muted">
              {artist ? 'No setlist was found for this show on setlist.fm.' : 'Once the artist is known, the setlist is looked up on setlist.fm.'}
            </p>
          </section>
        )}
        <div className="concert-aside">
          <VenueCard concert={concert} />
          <SupportingActs acts={concert.supportingActs ?? []} />
          <NotesCard notes={concert.notes} onEdit={() => setDialog('edit')} />
        </div>
      </div>

      {dialog === 'edit' && (
        <EditConcertDialog
          concert={concert}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            setAnnouncement('Your changes are saved.');
          }}
        />
      )}
      {dialog === 'merge' && (
        <MergeConcertDialog
          concert={concert}
          onClose={() => setDialog(null)}
          onMerged={(keptId) => {
            setDialog(null);
            if (keptId === concert.id) setAnnouncement('The concerts are merged into this one.');
            else navigate({ view: 'concert', concertId: keptId }, { replace: true });
          }}
        />
      )}
      {dialog === 'delete' && (
        <DeleteConcertDialog
          concert={concert}
          title={`${subject}, ${formatConcertDate(concert.concertDate, { weekday: false })}`}
          onClose={() => setDialog(null)}
          onDeleted={() => navigate({ view: 'concerts' }, { replace: true })}
        />
      )}
      {dialog === 'festival' && (
        <FromConcertDialog
          concert={concert}
          title={`${subject}, ${formatConcertDate(concert.concertDate, { weekday: false })}`}
          onClose={() => setDialog(null)}
          onCreated={(festivalId) => navigate({ view: 'festival', festivalId }, { replace: true })}
        />
      )}
    </article>
  );
}

function VenueCard({ concert }: { concert: ConcertDetail }) {
  const headingId = useId();
  const venue = concert.venue;
  // The venue's own position; else where the photos were taken.
  const latitude = venue?.latitude ?? concert.latitude;
  const longitude = venue?.longitude ?? concert.longitude;
  const city = venue?.city ?? concert.city;
  const country = countryName(venue?.countryCode ?? concert.countryCode);
  return (
    <section className="card concert-section" aria-labelledby={headingId} data-testid="venue">
      <h2 className="card__title" id={headingId}>
        Venue
      </h2>
      {venue || city || country ? (
        <address className="venue-card__address">
          {venue && <span className="venue-card__name">{venue.name}</span>}
          {city && <span>{city}</span>}
          {country && <span>{country}</span>}
        </address>
      ) : (
        <p className="muted">Not known yet.</p>
      )}
      {latitude !== null && longitude !== null && (
        <a className="venue-card__map" href={openStreetMapUrl(latitude, longitude)} target="_blank" rel="noopener noreferrer">
          Show on OpenStreetMap
          <span className="visually-hidden"> (opens in a new tab)</span>
        </a>
      )}
    </section>
  );
}

function SupportingActs({ acts }: { acts: Array<{ name: string }> }) {
  const headingId = useId();
  if (!acts.length) return null;
  return (
    <section className="card concert-section" aria-labelledby={headingId} data-testid="supporting-acts">
      <h2 className="card__title" id={headingId}>
        Supporting {acts.length === 1 ? 'act' : 'acts'}
      </h2>
      <ul className="supporting-acts">
        {acts.map((act) => (
          <li key={act.name}>{act.name}</li>
        ))}
      </ul>
    </section>
  );
}

function NotesCard({ notes, onEdit }: { notes: string | null; onEdit: () => void }) {
  const headingId = useId();
  return (
    <section className="card concert-section" aria-labelledby={headingId} data-testid="notes">
      <div className="card__header">
        <h2 className="card__title" id={headingId}>
          Notes
        </h2>
        <button type="button" className="link-button" onClick={onEdit} aria-haspopup="dialog">
          {notes ? 'Edit notes' : 'Add notes'}
        </button>
      </div>
      {notes ? <p className="concert-notes">{notes}</p> : <p className="muted">No notes yet.</p>}
    </section>
  );
}
