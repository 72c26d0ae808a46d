/** The pure content pipeline: no database, no file system. */
export { prepareArticle } from './prepare';
export { lintSource } from './lintSource';
export { slugify, slugFromFileName } from './slug';
export { renderMarkdown } from './render';
export { coverImage, frontMatterImage } from './media';
export type { ImageRef } from './media';
export { declaredSeo } from './seo';
export type { Rendered } from './render';
export { readingTimeMinutes } from './readingTime';
export { makeExcerpt } from './excerpt';
export { detectLanguage } from './language';
export { parseDateValue, dateFromFileName } from './dates';
export * from './types';
