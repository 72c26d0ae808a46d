/**
 * Importing Markdown files: expanding paths into article files (or checking files sent over the
 * API), parsing them, and storing them through the write path.
 * This file is the folder's public face: code outside it imports from here.
 */
export { Importer } from './importer';
export type { ImportSummary } from './importer';
export type { ImportProgress } from './importer';
export { displayPath, listArticleFiles, readSiteTimeZones } from './source-files';
export { MAX_SENT_FILES, sourcesFromSentFiles } from './sent-files';
