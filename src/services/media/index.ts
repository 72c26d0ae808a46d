/**
 * How content is presented to apps: absolute addresses of images and pages, image CDN sizes,
 * and SEO fields with their fallbacks. This file is the folder's public face.
 */
export { DEFAULT_SRCSET_WIDTHS, MAX_IMAGE_WIDTH, MAX_SRCSET_WIDTHS, Presentation } from './presentation';
export type { SeoInput, SeoView, StoredImage } from './presentation';
