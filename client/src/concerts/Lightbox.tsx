import { useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import { isGuessedTakenAt } from '../../../shared/taken-at-source.js';
import { formatTakenAt } from '../lib/format.js';
import { PhotoImage } from '../ui/PhotoImage.js';
import { Dialog } from './Dialog.js';
import type { ConcertPhoto } from './useConcertPhotos.js';

interface LightboxProps {
  photos: ConcertPhoto[];
  index: number;
  /** All the concert's photos, loaded or not. */
  total: number;
  describe: (photo: ConcertPhoto, index: number) => string;
  onIndex: (index: number) => void;
  onClose: () => void;
  onStar: (photo: ConcertPhoto) => void;
  /** More photos exist beyond the loaded ones: Next asks for them. */
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  awaitingVariants: boolean;
  starError: string | null;
}

/**
 * One photo at a time, as large as the screen allows (the largest rendition the
 * srcset offers for it). ← and → step through the photos, Escape closes.
 */
export function Lightbox(props: LightboxProps) {
  const { photos, index, total, describe, onIndex, onClose, onStar, hasMore, loadingMore, onLoadMore, awaitingVariants, starError } = props;
  const titleId = useId();
  const photo = photos[index];
  if (!photo) return null;
  const hasPrevious = index > 0;
  const hasNext = index < photos.length - 1 || hasMore;

  const previous = () => {
    if (hasPrevious) onIndex(index - 1);
  };
  const next = () => {
    if (index < photos.length - 1) onIndex(index + 1);
    else if (hasMore && !loadingMore) onLoadMore();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'ArrowLeft') {
      event.preventDefault();
      previous();
    } else if (event.key === 'ArrowRight') {
      event.preventDefault();
      next();
    }
  };

  const variantsNote = photo.variants.length
    ? null
    : photo.starred
      ? awaitingVariants
        ? 'Preparing the full-size version…'
        : null
      : 'Star this photo to keep a full-size version.';

  return (
    <Dialog labelledBy={titleId} onClose={onClose} onKeyDown={onKeyDown} className="lightbox" closeOnBackdrop>
      <div className="lightbox__inner" data-testid="lightbox" data-photo-id={photo.id}>
        <div className="lightbox__bar">
          <div className="lightbox__caption">
            <h2 className="lightbox__title" id={titleId} aria-live="polite">
              {photo.video ? 'Video' : 'Photo'} {index + 1} of {Math.max(total, photos.length)}
            </h2>
            <p className="lightbox__date">
              {photo.takenAt ? <time dateTime={photo.takenAt.toISOString()}>{formatTakenAt(photo.takenAt, photo.timeZone)}</time> : 'Time unknown'}
              {isGuessedTakenAt(photo.takenAtSource) ? <span className="lightbox__date-note"> · date guessed from the file</span> : null}
            </p>
          </div>
          <button
            type="button"
            className={photo.starred ? 'button button--ghost lightbox__star is-starred' : 'button button--ghost lightbox__star'}
            aria-pressed={photo.starred}
            onClick={() => onStar(photo)}
          >
            <StarIcon filled={photo.starred} />
            {/* Says the state in words too, not only in the icon's fill. */}
            {photo.starred ? 'Starred' : 'Star'}
          </button>
          <button type="button" className="button button--ghost lightbox__close" onClick={onClose} data-autofocus>
            <span aria-hidden="true">✕</span>
            <span className="visually-hidden">Close</span>
          </button>
        </div>
        <div className="lightbox__stage">
          <button
            type="button"
            className="lightbox__nav lightbox__nav--previous"
            onClick={previous}
            aria-disabled={!hasPrevious}
            aria-label="Previous photo"
          >
            <span aria-hidden="true">‹</span>
          </button>
          <figure className="lightbox__figure">
            {/* Keyed by photo: each one starts from its own placeholder, not the last one's loaded state. */}
            {photo.video ? (
              // Streamed from its signed URL with Range requests; the poster frame shows until it plays.
              // biome-ignore lint/a11y/useMediaCaption: the user's own concert videos come without caption files; there is no track to offer.
              <video
                key={photo.id}
                className="lightbox__img lightbox__video"
                data-testid="lightbox-video"
                src={photo.video.url}
                poster={photo.preview?.url ?? photo.thumbnailUrl ?? undefined}
                controls
                playsInline
                preload="metadata"
                aria-label={describe(photo, index)}
              />
            ) : (
              <LivePhoto key={photo.id} motionUrl={photo.motionUrl}>
                <PhotoImage className="lightbox__img" photo={photo} alt={describe(photo, index)} sizes="100vw" eager withPreview />
              </LivePhoto>
            )}
          </figure>
          <button
            type="button"
            className="lightbox__nav lightbox__nav--next"
            onClick={next}
            aria-disabled={!hasNext || loadingMore}
            aria-busy={loadingMore}
            aria-label="Next photo"
          >
            <span aria-hidden="true">›</span>
          </button>
        </div>
        <div className="lightbox__footer">
          {starError && (
            <p className="lightbox__error" role="alert">
              {starError}
            </p>
          )}
          {variantsNote && !photo.video && <p className="lightbox__note">{variantsNote}</p>}
          {photo.downloadUrl && (
            <a className="button button--ghost lightbox__download" href={photo.downloadUrl} download data-testid="lightbox-download">
              Download original
            </a>
          )}
          <p className="lightbox__hint">Use ← and → to move between photos, Escape to close.</p>
        </div>
      </div>
    </Dialog>
  );
}

/** A Live Photo: its motion clip plays over the photo while the pointer is on it or it is pressed, as on the phone. */
function LivePhoto({ motionUrl, children }: { motionUrl: string | null; children: ReactNode }) {
  const [playing, setPlaying] = useState(false);
  if (!motionUrl) return <>{children}</>;
  const start = () => setPlaying(true);
  const stop = () => setPlaying(false);
  return (
    <div className="lightbox__live" onPointerEnter={start} onPointerLeave={stop} onPointerDown={start} onPointerUp={stop} onPointerCancel={stop}>
      {children}
      {playing && <video className="lightbox__live-motion" data-testid="lightbox-motion" src={motionUrl} autoPlay muted playsInline onEnded={stop} />}
      <span className="lightbox__live-badge">
        <span aria-hidden="true">LIVE</span>
        <span className="visually-hidden">Live Photo: hover or press to play</span>
      </span>
    </div>
  );
}

export function StarIcon({ filled }: { filled: boolean }) {
  return (
    <svg className="star-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        d="M12 3.2l2.7 5.5 6 .9-4.4 4.3 1 6-5.3-2.8-5.3 2.8 1-6-4.4-4.3 6-.9z"
        fill={filled ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinejoin="round"
      />
    </svg>
  );
}
