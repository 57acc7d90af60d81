import { useId, useRef, useState } from 'react';
import { describeError } from '../lib/errors.js';
import { formatTakenAt, plural } from '../lib/format.js';
import { ErrorState } from '../ui/ErrorState.js';
import { Loading } from '../ui/Loading.js';
import { PhotoImage } from '../ui/PhotoImage.js';
import { Lightbox, StarIcon } from './Lightbox.js';
import { LoadMore } from './LoadMore.js';
import { useConcertPhotos, type ConcertPhoto } from './useConcertPhotos.js';
import { usePhotoInAddress, useStepIntoNextPage } from './usePhotoInAddress.js';

/** How many tiles load at once, before lazy loading takes over: the first rows on a desktop screen. */
const EAGER_TILES = 8;

interface PhotoGridProps {
  concertId: number;
  /** "Hollow Meridian at Paradiso": what each photo's description starts with. */
  subject: string;
  photoCount: number;
}

/** The concert's photos: a lazy grid, a lightbox, and starring from either. */
export function PhotoGrid({ concertId, subject, photoCount }: PhotoGridProps) {
  const headingId = useId();
  const { query, photos, star, awaitingVariants } = useConcertPhotos(concertId);
  const tileRefs = useRef(new Map<number, HTMLButtonElement>());
  const lightbox = usePhotoInAddress((photoId) => tileRefs.current.get(photoId)?.focus());
  const { openPhotoId } = lightbox;
  const stepIntoNextPage = useStepIntoNextPage(query, photos, (photo) => {
    if (lightbox.openPhotoId !== null) lightbox.show(photo.id);
  });
  const [announcement, setAnnouncement] = useState('');
  const total = Math.max(photoCount, photos.length);

  const openIndex = openPhotoId === null ? -1 : photos.findIndex((photo) => photo.id === openPhotoId);
  const describe = (photo: ConcertPhoto, index: number) =>
    `${subject}, photo ${index + 1} of ${total}${photo.takenAt ? `, ${formatTakenAt(photo.takenAt, photo.timeZone)}` : ''}`;

  const toggleStar = (photo: ConcertPhoto) => {
    const starred = !photo.starred;
    star.mutate({ id: photo.id, starred });
    const index = photos.findIndex((candidate) => candidate.id === photo.id);
    setAnnouncement(`Photo ${index + 1} ${starred ? 'starred' : 'unstarred'}.`);
  };

  const starError = star.error ? `Couldn't ${star.variables?.starred ? 'star' : 'unstar'} the photo. ${describeError(star.error).message}` : null;

  let content;
  if (query.data) {
    content =
      photos.length === 0 ? (
        <div className="empty-state empty-state--small">
          <p className="empty-state__title">No photos in this concert</p>
          <p className="empty-state__text">Photos that weren't matched to a concert wait in the review inbox, where you can add them here.</p>
          <a className="button button--secondary" href="#/inbox">
            Open the review inbox
          </a>
        </div>
      ) : (
        <>
          <ul className="photo-grid" data-testid="photo-grid">
            {photos.map((photo, index) => (
              <li key={photo.id} className="photo-tile" data-testid="photo-tile" data-photo-id={photo.id} data-starred={photo.starred}>
                <button
                  type="button"
                  className="photo-tile__open"
                  ref={(element) => {
                    if (element) tileRefs.current.set(photo.id, element);
                    else tileRefs.current.delete(photo.id);
                  }}
                  onClick={() => lightbox.open(photo.id)}
                  aria-haspopup="dialog"
                >
                  <PhotoImage
                    className="photo-tile__img"
                    photo={photo}
                    alt={describe(photo, index)}
                    sizes="(min-width: 64rem) 240px, (min-width: 40rem) 30vw, 48vw"
                    eager={index < EAGER_TILES}
                  />
                </button>
                <button
                  type="button"
                  className={photo.starred ? 'photo-tile__star is-starred' : 'photo-tile__star'}
                  aria-pressed={photo.starred}
                  aria-label={`Star photo ${index + 1}`}
                  title={photo.starred ? 'Starred' : 'Star'}
                  onClick={() => toggleStar(photo)}
                >
                  <StarIcon filled={photo.starred} />
                </button>
              </li>
            ))}
          </ul>
          <LoadMore
            hasNextPage={query.hasNextPage}
            fetching={query.isFetchingNextPage}
            error={query.isFetchNextPageError ? query.error : null}
            onLoadMore={() => void query.fetchNextPage()}
            label="Load more photos"
            errorTitle="Couldn't load more photos"
          />
        </>
      );
  } else if (query.error) {
    content = (
      <ErrorState
        title="Couldn't load the photos"
        message={describeError(query.error).message}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  } else {
    content = <Loading inline label="Loading photos…" />;
  }

  return (
    <section className="concert-section concert-photos" aria-labelledby={headingId}>
      <div className="concert-section__header">
        <h2 className="concert-section__title" id={headingId}>
          Photos
        </h2>
        <span className="muted">{plural(total, 'photo')}</span>
      </div>
      {starError && openIndex < 0 && (
        <ErrorState
          compact
          title={`Couldn't ${star.variables?.starred ? 'star' : 'unstar'} the photo`}
          message={describeError(star.error).message}
          onRetry={() => star.variables && star.mutate(star.variables)}
          retrying={star.isPending}
        />
      )}
      {query.data && query.error && !query.isFetchNextPageError && (
        <ErrorState
          compact
          title="Couldn't refresh the photos"
          message={describeError(query.error).message}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      )}
      {content}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {openIndex >= 0 && (
        <Lightbox
          photos={photos}
          index={openIndex}
          total={total}
          describe={describe}
          onIndex={(index) => {
            const photo = photos[index];
            if (photo) lightbox.show(photo.id);
          }}
          onClose={lightbox.close}
          onStar={toggleStar}
          hasMore={query.hasNextPage}
          loadingMore={query.isFetchingNextPage}
          onLoadMore={stepIntoNextPage}
          awaitingVariants={openPhotoId !== null && awaitingVariants.has(openPhotoId)}
          starError={starError}
        />
      )}
    </section>
  );
}
