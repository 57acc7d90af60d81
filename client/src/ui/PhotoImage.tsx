import { useMemo, useState, type CSSProperties } from 'react';
import { thumbHashToDataURL } from 'thumbhash';

export interface PhotoImageSource {
  thumbnailUrl: string | null;
  variants: Array<{ width: number; url: string }>;
  placeholder: string | null;
  width: number | null;
  height: number | null;
  /** The ~2048 px preview every photo has (see `withPreview`). */
  preview?: { width: number; url: string } | null;
}

interface PhotoImageProps {
  photo: PhotoImageSource;
  alt: string;
  /** How wide the image is drawn, for the browser to pick from `srcset` (e.g. "(min-width: 800px) 33vw, 100vw"). */
  sizes: string;
  className?: string;
  /** The first images of a page should not wait for lazy loading. */
  eager?: boolean;
  /** Offer the preview in `srcset` too (the lightbox): grids keep to the small renditions. */
  withPreview?: boolean;
}

const THUMBNAIL_WIDTH = 400;

/**
 * A photo at the right resolution for its slot: every rendition in `srcset`
 * (the 400 px thumbnail, and the starred photo's 400/800/1200 px variants), its
 * real aspect reserved by width and height so nothing shifts, and its ThumbHash
 * painted underneath until the image arrives.
 */
export function PhotoImage({ photo, alt, sizes, className, eager = false, withPreview = false }: PhotoImageProps) {
  const [loaded, setLoaded] = useState(false);
  const [broken, setBroken] = useState(false);
  const width = photo.width ?? 4;
  const height = photo.height ?? 3;
  const placeholder = useMemo(() => placeholderUrl(photo.placeholder), [photo.placeholder]);
  const small = photo.variants.length
    ? photo.variants
    : photo.thumbnailUrl
      ? [{ width: Math.min(THUMBNAIL_WIDTH, photo.width ?? THUMBNAIL_WIDTH), url: photo.thumbnailUrl }]
      : [];
  const sources = withPreview && photo.preview ? [...small.filter((source) => source.width < photo.preview!.width), photo.preview] : small;
  const style: CSSProperties | undefined = placeholder && !loaded ? { backgroundImage: `url(${placeholder})`, backgroundSize: 'cover' } : undefined;

  if (broken || sources.length === 0) {
    return (
      <span
        className={`photo-image photo-image--missing ${className ?? ''}`}
        role="img"
        aria-label={`${alt} (no preview)`}
        style={{ aspectRatio: `${width} / ${height}` }}
      >
        No preview
      </span>
    );
  }
  return (
    <img
      className={`photo-image ${className ?? ''}`}
      src={sources[0]!.url}
      srcSet={sources.map((source) => `${source.url} ${source.width}w`).join(', ')}
      sizes={sizes}
      width={width}
      height={height}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
      alt={alt}
      style={style}
      onLoad={() => setLoaded(true)}
      onError={() => setBroken(true)}
    />
  );
}

function placeholderUrl(base64: string | null): string | null {
  if (!base64) return null;
  try {
    return thumbHashToDataURL(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}
