import { describeError } from '../lib/errors.js';
import { formatCount } from '../lib/format.js';
import { trpc } from '../trpc.js';
import { PhotoImage } from '../ui/PhotoImage.js';
import { useInView, type InboxPhoto } from './hooks.js';

/** Thumbnails shown per item before it is opened. */
export const STRIP_SIZE = 5;
const STRIP_SIZES = '(min-width: 40rem) 6rem, 16vw';

/**
 * A few photos of an item in a row. Every slot is reserved at its final size before
 * any image arrives (a tile, then the photo), so the list never jumps.
 */
export function PhotoStrip({ photos, total, label }: { photos: ReadonlyArray<InboxPhoto | null>; total: number; label: string }) {
  if (total === 0) return null;
  const more = total - photos.length;
  return (
    <ul className="inbox-strip" aria-label={label}>
      {photos.map((photo, i) => (
        <li key={photo?.id ?? `slot-${i}`} className="inbox-strip__slot">
          {photo && <PhotoImage className="inbox-strip__img" photo={photo} alt={photo.fileName} sizes={STRIP_SIZES} />}
        </li>
      ))}
      {more > 0 && (
        <li className="inbox-strip__slot inbox-strip__more">
          +{formatCount(more)}
          <span className="visually-hidden"> more</span>
        </li>
      )}
    </ul>
  );
}

/** The first photos of a concert, fetched when the item scrolls near. */
export function ConcertStrip({ concertId, photoCount, label }: { concertId: number; photoCount: number; label: string }) {
  const [ref, inView] = useInView<HTMLDivElement>();
  const photos = trpc.photos.list.useQuery({ concertId, limit: STRIP_SIZE }, { enabled: inView && photoCount > 0 });
  const slots = Math.min(photoCount, STRIP_SIZE);
  const shown: Array<InboxPhoto | null> = photos.data?.items ?? Array.from({ length: slots }, () => null);
  return (
    <div ref={ref}>
      {photos.error && !photos.data ? (
        <p className="inbox-strip__error">
          Couldn't load the photos: {describeError(photos.error).message}{' '}
          <button type="button" className="link-button" onClick={() => void photos.refetch()} disabled={photos.isFetching}>
            Retry
          </button>
        </p>
      ) : (
        <PhotoStrip photos={shown} total={photoCount} label={label} />
      )}
    </div>
  );
}
