import { VARIANT_WIDTHS } from './variants.js';
import type { MediaUrls } from './media-urls.js';

/** What a photo row says about its renditions. */
export interface PhotoRenditions {
  thumbnailKey: string | null;
  /** Set once the starred photo's variants exist (storageKeys.variantsPrefix). */
  variantsKey: string | null;
  blurPlaceholder: string | null;
  width: number | null;
}

/**
 * Every photo the API returns carries its images this way: signed URLs for the
 * thumbnail and, once rendered, each variant with its pixel width (for `srcset`),
 * and the ThumbHash placeholder. Never a Drive link: our own renditions only.
 */
export function photoMedia(urls: MediaUrls, photo: PhotoRenditions) {
  const variants = photo.variantsKey
    ? VARIANT_WIDTHS.filter((width, i) => i === 0 || photo.width === null || VARIANT_WIDTHS[i - 1]! < photo.width).map((width) => ({
        // A photo narrower than a variant was not enlarged: its variant is the photo's own width.
        width: photo.width === null ? width : Math.min(width, photo.width),
        url: urls.url(`${photo.variantsKey}${width}.webp`),
      }))
    : [];
  return { thumbnailUrl: photo.thumbnailKey ? urls.url(photo.thumbnailKey) : null, variants, placeholder: photo.blurPlaceholder };
}

export type PhotoMedia = ReturnType<typeof photoMedia>;

/** A photo row as the API shows it: storage keys replaced by their URLs. */
export function presentPhoto<T extends PhotoRenditions>(urls: MediaUrls, photo: T) {
  const { thumbnailKey: _thumbnail, variantsKey: _variants, blurPlaceholder: _placeholder, ...rest } = photo;
  return { ...rest, ...photoMedia(urls, photo) };
}
