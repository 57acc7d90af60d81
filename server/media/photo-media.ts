import { VARIANT_WIDTHS } from './variants.js';
import { PREVIEW_SIZE } from './image-analysis.js';
import type { MediaUrls } from './media-urls.js';

/** What a photo row says about its renditions. The video and original fields are absent where a view never shows them (timeline strips). */
export interface PhotoRenditions {
  thumbnailKey: string | null;
  /** Set once the starred photo's variants exist (storageKeys.variantsPrefix). */
  variantsKey: string | null;
  blurPlaceholder: string | null;
  width: number | null;
  height?: number | null;
  mediaType?: 'photo' | 'video';
  durationMs?: number | null;
  previewKey?: string | null;
  originalKey?: string | null;
  motionKey?: string | null;
  fileName?: string;
}

/** Download links live as long as the page's other links at most; they are made when a view is computed. */
const DOWNLOAD_TTL_SECONDS = 24 * 3600;

/**
 * Every photo the API returns carries its images this way: signed URLs for the
 * thumbnail, the preview (the lightbox's, with its pixel width), and, once
 * rendered, each variant with its pixel width (for `srcset`), and the ThumbHash
 * placeholder. A video carries its stream (the original in our storage, played
 * with Range requests) and its length; a Live Photo its motion clip; an original
 * we keep (a video, an upload, a starred photo) a download link. Never a Drive link.
 */
export function photoMedia(urls: MediaUrls, photo: PhotoRenditions) {
  const variants = photo.variantsKey
    ? VARIANT_WIDTHS.filter((_width, i) => i === 0 || photo.width === null || VARIANT_WIDTHS[i - 1]! < photo.width).map((width) => ({
        // A photo narrower than a variant was not enlarged: its variant is the photo's own width.
        width: photo.width === null ? width : Math.min(width, photo.width),
        url: urls.url(`${photo.variantsKey}${width}.webp`),
      }))
    : [];
  const preview = photo.previewKey ? { width: previewWidth(photo.width, photo.height ?? null), url: urls.url(photo.previewKey) } : null;
  const isVideo = photo.mediaType === 'video';
  const video = isVideo && photo.originalKey ? { url: urls.url(photo.originalKey), durationMs: photo.durationMs ?? null } : null;
  return {
    mediaType: photo.mediaType ?? ('photo' as const),
    thumbnailUrl: photo.thumbnailKey ? urls.url(photo.thumbnailKey) : null,
    variants,
    preview,
    video,
    motionUrl: photo.motionKey ? urls.url(photo.motionKey) : null,
    downloadUrl: photo.originalKey
      ? urls.downloadUrl(photo.originalKey, downloadName(photo.fileName, photo.originalKey), DOWNLOAD_TTL_SECONDS)
      : null,
    placeholder: photo.blurPlaceholder,
  };
}

export type PhotoMedia = ReturnType<typeof photoMedia>;

/** The preview fits PREVIEW_SIZE × PREVIEW_SIZE, never enlarged: its width follows from the photo's upright size. */
function previewWidth(width: number | null, height: number | null): number {
  if (!width || !height) return PREVIEW_SIZE;
  return Math.max(1, Math.round(width * Math.min(1, PREVIEW_SIZE / Math.max(width, height))));
}

/** The file's own name made safe for the signed link (letters, digits, . _ -), with the stored object's extension when it has one. */
function downloadName(fileName: string | undefined, key: string): string {
  const extension = /\.([a-z0-9]{2,4})$/.exec(key)?.[1];
  const stem = (fileName ?? 'photo')
    .replace(/\.[^.]*$/, '')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 80);
  const original = /\.([A-Za-z0-9]{2,5})$/.exec(fileName ?? '')?.[1];
  return `${stem || 'photo'}.${extension ?? original ?? 'bin'}`;
}

/**
 * A photo in a timeline strip, drawn about 88 px wide: its thumbnail is all it ever
 * shows, so the variants' URLs (three a starred photo) stay out of the page.
 */
export function presentStripPhoto<T extends PhotoRenditions>(urls: MediaUrls, photo: T) {
  const {
    thumbnailKey,
    variantsKey: _variants,
    blurPlaceholder,
    previewKey: _preview,
    originalKey: _original,
    motionKey: _motion,
    durationMs: _duration,
    fileName: _name,
    ...rest
  } = photo;
  return {
    ...rest,
    thumbnailUrl: thumbnailKey ? urls.url(thumbnailKey) : null,
    variants: [] as PhotoMedia['variants'],
    placeholder: blurPlaceholder,
  };
}

/** A photo row as the API shows it: storage keys replaced by their URLs. */
export function presentPhoto<T extends PhotoRenditions>(urls: MediaUrls, photo: T) {
  const {
    thumbnailKey: _thumbnail,
    variantsKey: _variants,
    blurPlaceholder: _placeholder,
    previewKey: _preview,
    originalKey: _original,
    motionKey: _motion,
    ...rest
  } = photo;
  return { ...rest, ...photoMedia(urls, photo) };
}
