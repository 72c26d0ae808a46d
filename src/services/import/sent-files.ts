import { badInput, requirePlainText } from '../shared';
import type { ImportSource } from './importer';
import { ARTICLE_EXTENSIONS } from './source-files';

/** The most files one `importMarkdown` call may send. */
export const MAX_SENT_FILES = 100;

export interface SentFile {
  path: string;
  content: string;
}

/**
 * Files sent over the API, as import sources. They are refused as a whole when there are too
 * many, or when one is not named like an article file (as `kiji import` would skip it) or holds
 * text a database column cannot store.
 */
export function sourcesFromSentFiles(files: readonly SentFile[]): ImportSource[] {
  if (files.length > MAX_SENT_FILES) {
    throw badInput(`\`files\` has ${files.length} files; the limit is ${MAX_SENT_FILES}`, { argument: 'files', limit: MAX_SENT_FILES });
  }
  const extensions = `${ARTICLE_EXTENSIONS.slice(0, -1).join(', ')} or ${ARTICLE_EXTENSIONS.at(-1)}`;
  return files.map((file, i) => {
    const name = file.path.toLowerCase();
    if (!ARTICLE_EXTENSIONS.some((extension) => name.endsWith(extension)) || file.path.includes('\0')) {
      throw badInput(`\`files[${i}].path\` must end in ${extensions}`, { field: `files[${i}].path` });
    }
    requirePlainText(file.content, `files[${i}].content`, 'field');
    return { path: file.path, read: () => file.content };
  });
}
